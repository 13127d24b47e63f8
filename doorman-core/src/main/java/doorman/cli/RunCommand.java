package doorman.cli;

import doorman.config.DoormanConfig;
import doorman.daemon.DoorDaemon;
import doorman.models.ModelFiles;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The door daemon: camera -> recognition -> unlock policy -> relay, with the HTTP API beside it. SIGTERM stops the
 * loop after the current frame and releases the relay before the process exits.
 */
@Command(name = "run", aliases = "daemon", description = "Run the door daemon (camera, recognition, lock, HTTP API).")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "/etc/doorman/doorman.yaml", description = "Config file. Default: ${DEFAULT-VALUE}.")
    Path config;

    @Option(names = "--frames", defaultValue = "0", description = "Stop after this many frames and print throughput and memory (0: run until stopped).")
    long frames;

    @Option(names = "--models", description = "Folder with the model files (default: the build's models).")
    Path models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isRegularFile(config))
            throw Failures.badInput("no config file at " + config + " (copy deploy/doorman.example.yaml there, or pass --config)");
        DoormanConfig settings = DoormanConfig.load(config);
        ModelFiles files = models == null ? ModelFiles.locate() : new ModelFiles(models);
        DoorDaemon daemon = DoorDaemon.fromConfig(settings, files, System.out);
        ControlServer control = null;
        try {
            control = ControlServer.start(ControlServer.socketPath(settings.dataDir()), daemon.store());
        } catch (IOException | RuntimeException e) {
            // the door matters more than the CLI: without the socket the CLI says the store is in use
            LoggerFactory.getLogger(RunCommand.class).warn("no command line socket: {}", Failures.message(e));
        }
        Thread hook = new Thread(daemon::shutdown, "doorman-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        DoorDaemon.RunStats stats;
        try {
            stats = daemon.run(frames);
        } finally {
            if (control != null) control.close(); // before the daemon closes the store and the models it answers with
            daemon.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook); // ended by itself: nothing for the hook to report
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it reports the stop
            }
        }
        if (frames > 0) {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%d frames in %.1f s (%.1f frames/s), %d failed; resident memory %d kB after warm-up, %d kB at the end (%+.1f%%)%n",
                    stats.frames(), stats.seconds(), stats.framesPerSecond(), stats.failures(), stats.rssAfterWarmupKb(),
                    stats.rssEndKb(), 100.0 * (stats.rssEndKb() - stats.rssAfterWarmupKb()) / Math.max(1, stats.rssAfterWarmupKb()));
            spec.commandLine().getOut().flush();
        }
        return Doorman.OK;
    }
}
