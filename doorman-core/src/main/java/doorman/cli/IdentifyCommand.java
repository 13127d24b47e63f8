package doorman.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** 1:K recognition: who among the enrolled is this, or nobody; decided as the door decides a one-frame visit. */
@Command(name = "identify", description = "Who is in this photo? Exit 0 if an enrolled person, 1 if not in the database.")
final class IdentifyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A photo; with several faces the largest is used.")
    Path image;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    StoreOptions store;

    @Mixin
    DoorOptions door;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // on the store, or through the daemon when it runs
        try (GalleryService gallery = store.service(pipelineOptions)) {
            return gallery.identify(Photo.read(image), door.strangerAccept())
                    .print(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        }
    }
}
