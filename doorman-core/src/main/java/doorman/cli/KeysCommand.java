package doorman.cli;

import doorman.gallery.KeyRotation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** The gallery's keys: {@code doorman keys rotate} re-seals everything under fresh keys (docs/security.md). */
@Command(name = "keys", description = {"Manage the gallery's encryption keys:",
        "  doorman keys rotate    re-seal every record under fresh keys in a new store file (stop the daemon first),",
        "                         then back up the new gallery.keys"})
final class KeysCommand implements Callable<Integer> {

    @Parameters(arity = "1", paramLabel = "ACTION", description = "rotate")
    String action;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!action.equals("rotate")) throw new Failures.UserError(Doorman.USAGE, "unknown action '" + action + "' (rotate)");
        KeyRotation.Result result = KeyRotation.rotate(store.dataDir());
        String done = "keys rotated: " + result.people() + " people, " + result.templates() + " templates";
        store.audit(null, null, done);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("people", result.people());
        answer.put("templates", result.templates());
        answer.put("done", done);
        Output.print(spec.commandLine().getOut(), json, answer, done + "; back up the new " + store.dataDir().resolve("gallery.keys"));
        return Doorman.OK;
    }
}
