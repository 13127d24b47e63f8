package doorman.lab.cli;

import doorman.cli.Failures;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code doorman bench door} (the door's whole per-frame path and time to unlock) and {@code bench stages} (one photo). */
@Command(name = "bench", description = "Benchmarks: door (the daemon's per-frame path) or stages (each stage on one photo).",
        subcommands = {DoorBenchCommand.class, BenchCommand.class})
final class BenchCommands implements Callable<Integer> {

    @Override
    public Integer call() {
        throw Failures.badInput("bench: choose 'bench door' (the door's per-frame path) or 'bench stages PHOTO' (each stage)");
    }
}
