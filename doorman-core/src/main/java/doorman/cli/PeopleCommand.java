package doorman.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Lists and manages enrolled people. */
@Command(name = "people", description = {"List enrolled people, or manage one:",
        "  doorman people", "  doorman people remove NAME", "  doorman people rename NAME NEW_NAME",
        "  doorman people disable NAME | enable NAME",
        "  doorman people schedule NAME 'mon-fri 08:00-18:00' | always"})
final class PeopleCommand implements Callable<Integer> {

    @Parameters(arity = "0..3", description = "Nothing (list), or an action and its names.")
    List<String> words = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    StoreOptions store;

    @Mixin
    DoorOptions door;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!words.isEmpty() && !LocalGallery.ACTIONS.contains(words.get(0)))
            throw new Failures.UserError(Doorman.USAGE, "unknown action '" + words.get(0) + "' (remove, rename, enable, disable, schedule)");
        // on the store, or through the daemon when it runs
        try (GalleryService gallery = store.service(null)) {
            Answer answer = words.isEmpty() ? gallery.people(door.strangerAccept()) : gallery.change(words);
            return answer.print(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        }
    }
}
