package doorman.cli;

import doorman.app.Assembly;
import doorman.models.ModelFiles;
import doorman.audit.AuditLog;
import doorman.config.DoormanConfig;
import doorman.config.LockConfig;
import doorman.daemon.DoorDaemon;
import doorman.gallery.Gallery;
import doorman.http.ApiServer;
import doorman.http.ApiServices;
import doorman.http.ApiSettings;
import doorman.http.ApiToken;
import doorman.lock.LockActuator;
import doorman.match.Calibration;
import doorman.metrics.Metrics;
import doorman.pictures.SnapshotStore;
import doorman.pipeline.FacePipeline;
import doorman.vision.LivenessModel;
import doorman.vision.QualityGate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The HTTP API and web page without a camera: enroll and manage people from a laptop. */
@Command(name = "serve", description = "Serve the HTTP API and web page (no camera).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Config file (its data-dir, http and lock sections are used).")
    Path config;

    @Option(names = "--host", description = "Address to listen on (default: the config's, else 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port (default: the config's, else 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--models", description = "Folder with the model files (default: the build's models).")
    Path models;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DoormanConfig settings = config == null ? DoormanConfig.defaults() : DoormanConfig.load(config);
        if (!settings.http().enabled())
            throw Failures.badInput("serve runs the web page and API, but http.enabled is false in " + config
                    + " (set it to true, or use 'doorman run' for the door without the page)");
        Path dataDir = config != null ? settings.dataDir() : store.dataDir();
        Files.createDirectories(dataDir);
        ApiSettings api = ApiSettings.from(settings.http());
        api = new ApiSettings(host != null ? host : api.host(), port != null ? port : api.port(), api.keystore(),
                api.keystorePassword(), api.maxBodyBytes(), api.maxAuthFailures(), api.failureWindow());
        // Without a daemon there is no relay to drive: manual unlocks are only logged unless the config says gpio.
        LockConfig lockConfig = config == null ? new LockConfig(LockConfig.Type.DRY_RUN, "gpiochip0", 0, LockConfig.Polarity.ACTIVE_HIGH, 1500) : settings.lock();
        CountDownLatch stop = new CountDownLatch(1);
        ModelFiles modelFiles = models == null ? ModelFiles.locate() : new ModelFiles(models);
        // the same encoder, detector, calibration and gates as the door's daemon: enrolled here means enrolled there
        try (LockActuator lock = LockActuator.open(lockConfig);
             FacePipeline pipeline = FacePipeline.open(modelFiles, Assembly.pipelineOptions(settings, 1));
             Gallery gallery = Gallery.open(dataDir);
             AuditLog audit = AuditLog.open(dataDir, settings.audit(), Clock.systemUTC());
             LivenessModel liveness = Assembly.liveness(settings, modelFiles)) {
            Metrics metrics = new Metrics();
            // the same start-up report as the door's: risky settings, quarantined records, the config's hash audited
            doorman.daemon.StartupReport.report(settings, gallery, audit, metrics, Clock.systemUTC());
            Calibration calibration = Assembly.calibration(settings, modelFiles, pipeline.encoderName());
            ApiToken token = ApiToken.loadOrCreate(dataDir, System.out);
            QualityGate quality = Assembly.qualityGate(settings.quality());
            // no door loop here, so no new snapshots; the ones the door kept are shown, and pruned on the way in
            SnapshotStore snapshots = SnapshotStore.open(dataDir, settings.pictures().snapshotDays(), Clock.systemUTC(), audit::contains);
            // no camera without the daemon: capture requests get 409 "no camera in serve mode"
            // the CLI's gallery commands come through here meanwhile, with the same settings as the page
            DoorDaemon.Store store = new DoorDaemon.Store(settings, modelFiles, gallery, audit,
                    () -> FacePipeline.open(modelFiles, Assembly.pipelineOptions(settings, 1)));
            try (ApiServer server = ApiServer.start(api, token, metrics, new ApiServices(gallery, pipeline, quality,
                    liveness, calibration, Assembly.doorSettings(settings, modelFiles, calibration), audit, lock, lockConfig.pulse(), null,
                    settings.pictures().thumbnails(), snapshots));
                 ControlServer control = ControlServer.start(ControlServer.socketPath(dataDir), store)) {
                spec.commandLine().getOut().println("serving " + server.baseUrl() + " (token in " + dataDir.resolve(ApiToken.FILE_NAME) + ")");
                spec.commandLine().getOut().flush();
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "doorman-serve-stop"));
                stop.await();
            }
        }
        return Doorman.OK;
    }
}
