package doorman.cli;

import doorman.household.HouseholdKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The household key that lets several doors share enrollment over MQTT ({@code mqtt.household}): made once on the
 * first door and copied by hand to the others; the broker never sees it.
 */
@Command(name = "household", description = {"The key shared by the doors of one household (mqtt.household):",
        "  doorman household init         make a key on the first door and print it once, to copy to the others",
        "  doorman household join KEY     store the household's key on another door ('-' reads it from stdin)",
        "  doorman household show         print the key's public id (the same on every door of the household)",
        "Use --data to name the daemon's data-dir (e.g. /var/lib/doorman)."})
final class HouseholdCommand implements Callable<Integer> {

    @Parameters(arity = "1..2", description = "init, join KEY, or show.")
    List<String> words = new ArrayList<>();

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String action = words.get(0);
        int needed = action.equals("join") ? 2 : 1;
        if (words.size() != needed)
            throw new Failures.UserError(Doorman.USAGE, "usage: doorman household " + (action.equals("join") ? "join KEY" : action));
        switch (action) {
            case "init" -> {
                HouseholdKey key = HouseholdKey.generate();
                save(key);
                out.println("household " + key.id() + " created in " + store.dataDir().resolve(HouseholdKey.FILE));
                out.println("key (secret; give it to each other door with 'doorman household join KEY', then forget it):");
                out.println(key.text());
            }
            case "join" -> {
                String text = words.get(1).equals("-") ? readLine() : words.get(1);
                HouseholdKey key = HouseholdKey.parse(text);
                save(key);
                out.println("joined household " + key.id() + " (" + store.dataDir().resolve(HouseholdKey.FILE) + ")");
            }
            case "show" -> {
                HouseholdKey key = HouseholdKey.load(store.dataDir()).orElseThrow(() -> Failures.badInput(
                        "no household key in " + store.dataDir() + " (doorman household init, or join)"));
                out.println("household " + key.id());
            }
            default -> throw new Failures.UserError(Doorman.USAGE, "unknown action '" + action + "' (init, join, show)");
        }
        out.flush();
        return Doorman.OK;
    }

    private void save(HouseholdKey key) throws IOException {
        try {
            key.save(store.dataDir());
        } catch (FileAlreadyExistsException e) {
            throw Failures.badInput(e.getFile());
        }
    }

    private static String readLine() throws IOException {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        if (line == null) throw Failures.badInput("no key on standard input");
        return line;
    }
}
