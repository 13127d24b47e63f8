package doorman.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Enrolls a person from one or more photos, each kept as its own template. All photos are checked before
 * anything is stored: one refused photo (unreadable, no face, several faces, too poor for the door's quality gate)
 * means nothing is enrolled. The checks are the web page's (doorman.enroll.Enrollment).
 */
@Command(name = "enroll", description = "Enroll NAME from one or more photos (one face each).")
final class EnrollCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The person's name (created when new).")
    String name;

    @Parameters(index = "1..*", arity = "1..*", description = "Photos with exactly one face.")
    List<Path> images;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // on the store, or through the daemon when it runs; every photo is read here, where the user named it
        try (GalleryService gallery = store.service(pipelineOptions)) {
            return gallery.enroll(name, images.stream().map(Photo::read).toList())
                    .print(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        }
    }
}
