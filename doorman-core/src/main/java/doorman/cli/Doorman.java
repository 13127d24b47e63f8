package doorman.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code doorman} command. Exit codes: 0 done (verify: same person, identify: found); 1 a negative
 * answer (different people, not in the database); 2 usage error; 3 bad input (unreadable image, no face,
 * several faces, unknown person, a config file with a wrong key or value); 4 store problem (locked or damaged);
 * 5 missing model or other failure. README.md's table says the same (ExitCodesTest holds them to it).
 */
@Command(name = "doorman", mixinStandardHelpOptions = true, versionProvider = Doorman.Version.class,
        description = "Offline face-recognition door lock.",
        subcommands = {EnrollCommand.class, VerifyCommand.class, IdentifyCommand.class, PeopleCommand.class,
                RunCommand.class, ServeCommand.class, HouseholdCommand.class, KeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Doorman implements Runnable {

    public static final int OK = 0, NEGATIVE = 1, USAGE = 2, BAD_INPUT = 3, STORE = 4, FAILURE = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; what it prints goes to {@code out} and {@code err}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /**
     * The everyday commands with Doorman's error handling, plus {@code extraCommands} (the lab's eval, train, ...).
     * They are added before the writers are set, since picocli hands writers only to the subcommands it has.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Object... extraCommands) {
        CommandLine cli = new CommandLine(new Doorman());
        for (Object command : extraCommands) cli.addSubcommand(command);
        // -h and --help on every subcommand, answered before its required parameters are checked
        for (CommandLine sub : cli.getSubcommands().values()) sub.getCommandSpec().mixinStandardHelpOptions(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args) -> {
            // one line, not the whole usage: what was wrong and where the help is
            CommandLine cmd = e.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName(" ");
            cmd.getErr().println("doorman: " + e.getMessage() + " (see '" + name + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            int code = Failures.exitCode(e);
            // a usage error found by the command itself gets the same hint as one picocli found
            String hint = code == USAGE ? " (see '" + cmd.getCommandSpec().qualifiedName(" ") + " --help')" : "";
            cmd.getErr().println("doorman: " + Failures.message(e) + hint);
            if (code == FAILURE && System.getenv("DOORMAN_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return code;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Doorman.class.getPackage().getImplementationVersion();
            return new String[]{"doorman " + (v == null ? "(development build)" : v)};
        }
    }
}
