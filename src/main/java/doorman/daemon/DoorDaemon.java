package doorman.daemon;

import doorman.audit.AuditLog;
import doorman.camera.FrameRateCap;
import doorman.camera.FrameSource;
import doorman.camera.MjpegCommandSource;
import doorman.camera.ReconnectingSource;
import doorman.camera.ReplaySource;
import doorman.camera.V4l2Source;
import doorman.config.CameraConfig;
import doorman.config.DoormanConfig;
import doorman.config.QualityConfig;
import doorman.gallery.Gallery;
import doorman.http.ApiServer;
import doorman.http.ApiServices;
import doorman.http.ApiSettings;
import doorman.http.ApiToken;
import doorman.http.DoorCamera;
import doorman.lock.LockActuator;
import doorman.match.Calibration;
import doorman.match.GalleryView;
import doorman.metrics.Metrics;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.policy.PersonAccess;
import doorman.policy.PersonSchedule;
import doorman.policy.UnlockPolicy;
import doorman.tflite.Backend;
import doorman.tflite.TfliteOptions;
import doorman.train.CalibrationJson;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.LivenessChecker;
import doorman.vision.QualityGate;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The long-running service: builds every part from the config, runs {@link DoorLoop} over the camera's frames and
 * serves the HTTP API beside it. Fail-secure: the lock is released before the first frame, after any exception
 * in the loop, and when the daemon stops; the frame loop pings systemd's watchdog, so a hung loop is restarted.
 */
public final class DoorDaemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DoorDaemon.class);

    /** How a run ended: frames seen, frames that failed, wall time, resident memory after warm-up and at the end. */
    public record RunStats(long frames, long failures, double seconds, long rssAfterWarmupKb, long rssEndKb) {
        public double framesPerSecond() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    private final List<AutoCloseable> parts;
    private final LockActuator lock;
    private final FrameSource source;
    private final DoorLoop loop;
    private final SystemdNotifier notifier;
    private final ApiServer api;
    private final Object latestGuard = new Object();
    private Mat latest;
    private volatile boolean stopping;

    private DoorDaemon(List<AutoCloseable> parts, LockActuator lock, FrameSource source, DoorLoop loop,
                       SystemdNotifier notifier, ApiServer api) {
        this.parts = parts;
        this.lock = lock;
        this.source = source;
        this.loop = loop;
        this.notifier = notifier;
        this.api = api;
    }

    /** Opens the daemon from its config, with the lock and camera the config names. */
    public static DoorDaemon fromConfig(DoormanConfig config, ModelFiles models, PrintStream console) {
        LockActuator lock = LockActuator.open(config.lock());
        try {
            return open(config, models, lock, openSource(config.camera()), Clock.systemUTC(), console);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens the daemon with a given lock and frame source (tests pass Pi4J's mock and a replay). */
    public static DoorDaemon open(DoormanConfig config, ModelFiles models, LockActuator lock, FrameSource source,
                                  Clock clock, PrintStream console) {
        lock.release();
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(source);
        try {
            Files.createDirectories(config.dataDir());
            EncoderChoice encoder = config.match().encoder() == 128 ? EncoderChoice.HEAD_128 : EncoderChoice.RAW_192;
            FacePipeline.Options options = new FacePipeline.Options(Backend.JAVACPP, config.effectiveThreads(),
                    config.detection().range() == doorman.config.DetectionConfig.Range.SHORT
                            ? BlazeFaceDetector.Range.SHORT : BlazeFaceDetector.Range.FULL,
                    (float) config.detection().minScore(), encoder, false);
            FacePipeline pipeline = add(parts, FacePipeline.open(models, options));
            Calibration calibration = calibration(config, models, pipeline.encoderName());
            Gallery gallery = add(parts, Gallery.open(config.dataDir()));
            AuditLog audit = add(parts, AuditLog.open(config.dataDir(), config.audit(), clock));
            LivenessChecker liveness = add(parts, livenessChecker(config, models));
            UnlockPolicy policy = new UnlockPolicy(config.policy(), clock, id -> access(gallery, id));
            Metrics metrics = new Metrics();
            StartupReport.report(config, gallery, audit, metrics, clock);
            DoorLoop loop = new DoorLoop(pipeline, new QualityGate(thresholds(config.quality())), liveness,
                    new GalleryView(gallery, calibration, 0.0), policy, lock, config.lock().pulse(), audit, metrics, clock);
            DoorDaemon[] self = new DoorDaemon[1];
            ApiServer api = null;
            if (config.http().enabled()) {
                FacePipeline apiPipeline = add(parts, FacePipeline.open(models, options.withThreads(1)));
                ApiToken token = ApiToken.loadOrCreate(config.dataDir(), console);
                DoorCamera camera = () -> self[0] == null ? Optional.empty() : self[0].latestFrame();
                // the API gets its own interpreters: TFLite ones are not to be shared across threads
                LivenessChecker apiLiveness = add(parts, livenessChecker(config, models));
                api = add(parts, ApiServer.start(ApiSettings.from(config.http()), token, metrics,
                        new ApiServices(gallery, apiPipeline, new QualityGate(thresholds(config.quality())), apiLiveness,
                                calibration, 0.0, audit, lock, config.lock().pulse(), camera)));
                log.info("HTTP API on {}", api.baseUrl());
            }
            self[0] = new DoorDaemon(parts, lock, source, loop, SystemdNotifier.fromEnvironment(), api);
            return self[0];
        } catch (IOException e) {
            closeAll(parts);
            throw new IllegalStateException("cannot start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** Runs frames until the source ends, {@code maxFrames} were seen (0: no limit) or {@link #stop()}. */
    public RunStats run(long maxFrames) {
        notifier.ready();
        notifier.status("watching the door");
        long frames = 0, failures = 0, rssWarm = 0;
        long start = System.nanoTime();
        long warmup = Math.min(200, Math.max(1, maxFrames / 10));
        while (!stopping && (maxFrames == 0 || frames < maxFrames)) {
            Optional<Mat> next = source.next();
            if (next.isEmpty()) break;
            Mat frame = next.get();
            try {
                loop.process(frame);
            } catch (RuntimeException e) {
                failures++;
                lock.release();
                log.error("frame failed, lock released: {}", e.toString());
            } finally {
                keepLatest(frame);
            }
            frames++;
            if (frames == warmup) rssWarm = residentKb();
            notifier.watchdogIfDue();
        }
        return new RunStats(frames, failures, (System.nanoTime() - start) / 1e9, rssWarm, residentKb());
    }

    /** Asks the loop to end after the current frame (from a shutdown hook or another thread). */
    public void stop() {
        stopping = true;
    }

    public Optional<ApiServer> api() {
        return Optional.ofNullable(api);
    }

    public boolean lockEnergised() {
        return lock.energised();
    }

    /** A copy of the newest frame for the API's capture; the caller releases it. */
    Optional<Mat> latestFrame() {
        synchronized (latestGuard) {
            return latest == null ? Optional.empty() : Optional.of(latest.clone());
        }
    }

    private void keepLatest(Mat frame) {
        synchronized (latestGuard) {
            if (latest != null) latest.release();
            latest = frame;
        }
    }

    @Override
    public void close() {
        stopping = true;
        notifier.stopping();
        lock.release();
        closeAll(parts);
        synchronized (latestGuard) {
            if (latest != null) latest.release();
            latest = null;
        }
        lock.close();
    }

    static FrameSource openSource(CameraConfig camera) {
        FrameSource reconnecting = new ReconnectingSource(() -> switch (camera.type()) {
            case V4L2 -> new V4l2Source(camera.device(), camera.width(), camera.height(), camera.fpsCap());
            case COMMAND -> new MjpegCommandSource(camera.command());
            case REPLAY -> Files.isDirectory(camera.path()) ? ReplaySource.ofFolder(camera.path(), camera.loop())
                    : new ReplaySource(List.of(camera.path()), camera.loop());
        });
        return new FrameRateCap(reconnecting, camera.fpsCap());
    }

    /**
     * The config speaks in degrees; the gate measures the nose's offset relative to the eye distance. With the nose
     * tip about 0.7 eye distances in front of the eye line, a turn of a degrees moves it by 0.7 sin(a).
     */
    /** The anti-spoofing checker the config asks for, or null when liveness is turned off. */
    public static LivenessChecker livenessChecker(DoormanConfig config, ModelFiles models) {
        if (!config.liveness().enabled()) return null;
        return new LivenessChecker(Backend.JAVACPP.load(models.require(ModelFiles.ANTI_SPOOFING), TfliteOptions.defaults()),
                config.liveness().threshold(), LivenessChecker.DEFAULT_CROP_SCALE);
    }

    public static QualityGate.Thresholds thresholds(QualityConfig q) {
        double yaw = 0.7 * Math.sin(Math.toRadians(q.maxYaw()));
        double pitch = 0.7 * Math.sin(Math.toRadians(q.maxPitch()));
        return new QualityGate.Thresholds(q.minEyeDistance(), q.minBlur(), yaw, 0.5 - pitch, 0.5 + pitch, 45,
                q.minBrightness(), q.maxBrightness());
    }

    private static Calibration calibration(DoormanConfig config, ModelFiles models, String space) throws IOException {
        Path file = config.match().calibration() != null ? config.match().calibration()
                : CalibrationJson.forSpace(models.dir(), space);
        if (!Files.isRegularFile(file))
            throw new IllegalStateException("no calibration for " + space + " at " + file + " (run 'doorman calibrate')");
        Calibration c = CalibrationJson.read(file);
        if (!c.encoder().equals(space))
            throw new IllegalStateException(file + " calibrates " + c.encoder() + ", but the encoder makes " + space);
        return c;
    }

    private static Optional<PersonAccess> access(Gallery gallery, String id) {
        long personId;
        try {
            personId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return gallery.person(personId).map(p -> new PersonAccess(id, p.name(), p.enabled(),
                gallery.schedule(personId).map(PersonSchedule::parse).orElse(PersonSchedule.ALWAYS)));
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> parts, T part) {
        if (part != null) parts.add(part); // null: a part the config turned off
        return part;
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        parts.clear();
    }

    static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", ""));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
