package doorman.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every command picocli knows, however deep, answers --help and -h with its usage and exit 0. */
class HelpTreeTest {

    @Test
    void everyCommandInTheTreeAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        walk(Doorman.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
                new ArrayList<>(), paths, new IdentityHashMap<>());
        assertTrue(paths.size() >= 8, "the walk found the tree: " + paths);
        for (List<String> path : paths) {
            for (String flag : new String[]{"--help", "-h"}) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                StringWriter out = new StringWriter(), err = new StringWriter();
                int exit = Doorman.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
                String shown = "doorman " + String.join(" ", args);
                assertEquals(0, exit, shown + ": " + err);
                assertEquals("", err.toString(), shown);
                String usage = "Usage: " + String.join(" ", prepend("doorman", path));
                // the help command prints its description before its usage line
                assertTrue(out.toString().contains(usage), shown + " printed:\n" + out);
            }
        }
    }

    /** Collects the path of every command once (aliases such as 'daemon' point at a command already seen). */
    private static void walk(CommandLine cmd, List<String> path, List<List<String>> paths, Map<Object, Boolean> seen) {
        if (seen.put(cmd.getCommandSpec(), true) != null) return;
        paths.add(List.copyOf(path));
        for (CommandLine sub : cmd.getSubcommands().values()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getCommandName());
            walk(sub, next, paths, seen);
        }
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
