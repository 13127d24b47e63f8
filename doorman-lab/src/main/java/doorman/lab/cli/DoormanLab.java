package doorman.lab.cli;

import doorman.cli.Doorman;

import java.io.PrintWriter;

/**
 * The {@code doorman} command of a source checkout: the everyday commands of the product plus the lab's
 * (eval, bench, train, calibrate, quantize). The release runs {@link Doorman} alone.
 */
public final class DoormanLab {

    private DoormanLab() {
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return Doorman.commandLine(out, err, new EvalCommand(), new BenchCommands(), new TrainCommand(), new CalibrateCommand(),
                new QuantizeCommand()).execute(args);
    }
}
