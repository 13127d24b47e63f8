package doorman.daemon;

import doorman.app.Assembly;
import doorman.audit.AuditLog;
import doorman.camera.CameraStatus;
import doorman.camera.Frame;
import doorman.camera.FrameGrabber;
import doorman.audit.ManualUnlock;
import doorman.camera.FrameRateCap;
import doorman.camera.LatestFrame;
import doorman.camera.FrameSource;
import doorman.camera.MjpegCommandSource;
import doorman.camera.ReconnectingSource;
import doorman.camera.ReplaySource;
import doorman.camera.V4l2Source;
import doorman.config.CameraConfig;
import doorman.config.DoormanConfig;
import doorman.gallery.Gallery;
import doorman.http.ApiServer;
import doorman.http.ApiServices;
import doorman.http.ApiSettings;
import doorman.http.ApiToken;
import doorman.http.DoorCamera;
import doorman.lock.LockActuator;
import doorman.match.Calibration;
import doorman.match.DoorSettings;
import doorman.match.DoorVisit;
import doorman.match.GalleryView;
import doorman.metrics.Metrics;
import doorman.models.ModelFiles;
import doorman.mqtt.MqttBridge;
import doorman.pipeline.FacePipeline;
import doorman.policy.PersonAccess;
import doorman.policy.PersonSchedule;
import doorman.policy.UnlockPolicy;
import doorman.liveness.MiniFasNetLiveness;
import doorman.vision.LivenessModel;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    /** How long the camera may stay silent before /healthz calls it down. */
    static final Duration CAMERA_DOWN_AFTER = Duration.ofSeconds(5);
    static final String LOOP_TURNS = "doorman_loop_turns_total";
    /** How long the loop waits for a frame before it checks the camera and feeds the watchdog again. */
    private static final Duration POLL = Duration.ofMillis(500);

    /** How a run ended: frames seen, frames that failed, wall time, resident memory after warm-up and at the end. */
    public record RunStats(long frames, long failures, double seconds, long rssAfterWarmupKb, long rssEndKb) {
        public double framesPerSecond() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    private final List<AutoCloseable> parts;
    private final LockActuator lock;
    private final FrameGrabber camera;
    private final DoorLoop loop;
    private final Metrics metrics;
    private final SystemdNotifier notifier;
    private final ApiServer api;
    private final String readyLine;
    private final LatestFrame latest;
    private final MqttBridge mqtt;
    private volatile boolean stopping;

    private DoorDaemon(List<AutoCloseable> parts, LockActuator lock, FrameGrabber camera, LatestFrame latest,
                       DoorLoop loop, Metrics metrics, SystemdNotifier notifier, ApiServer api, MqttBridge mqtt,
                       String readyLine) {
        this.readyLine = readyLine;
        this.mqtt = mqtt;
        this.latest = latest;
        this.metrics = metrics;
        this.parts = parts;
        this.lock = lock;
        this.camera = camera;
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
        // a replayed file hands over every frame; a live camera only its newest
        FrameGrabber camera = add(parts, new FrameGrabber(source, config.camera().type() == CameraConfig.Type.REPLAY
                ? FrameGrabber.Mode.EVERY : FrameGrabber.Mode.LATEST, clock, CAMERA_DOWN_AFTER));
        LatestFrame latest = add(parts, new LatestFrame());
        try {
            Files.createDirectories(config.dataDir());
            FacePipeline.Options options = Assembly.pipelineOptions(config, config.effectiveThreads());
            // the models are loaded once; the frame loop and the API each get their own interpreters
            FacePipeline.Shared faceModels = add(parts, FacePipeline.Shared.load(models, options));
            FacePipeline pipeline = add(parts, faceModels.open(config.effectiveThreads()));
            Calibration calibration = Assembly.calibration(config, models, pipeline.encoderName());
            Gallery gallery = add(parts, Gallery.open(config.dataDir()));
            AuditLog audit = add(parts, AuditLog.open(config.dataDir(), config.audit(), clock));
            // the liveness models are loaded once; the frame loop and the API each get their own interpreters
            MiniFasNetLiveness.Models livenessModels = add(parts, Assembly.livenessModels(config, models));
            double livenessThreshold = livenessModels == null ? Double.NaN : Assembly.livenessThreshold(config, models);
            LivenessModel liveness = add(parts, livenessModels == null ? null : livenessModels.newChecker(livenessThreshold));
            UnlockPolicy policy = new UnlockPolicy(config.policy(), clock, id -> access(gallery, id));
            Metrics metrics = new Metrics();
            StartupReport.report(config, gallery, audit, metrics, clock);
            DoorSettings door = Assembly.doorSettings(config, models, calibration);
            DoorLoop loop = new DoorLoop(pipeline, pipeline, Assembly.qualityGate(config.quality()), liveness,
                    new GalleryView(gallery, calibration, door), new DoorVisit(config.policy().frames()), policy, lock,
                    config.lock().pulse(), audit, metrics);
            MqttBridge mqtt = add(parts, MqttBridge.start(config.mqtt(), config.dataDir(), gallery, audit,
                    new ManualUnlock(lock, config.lock().pulse(), audit, metrics, clock), lock, metrics));
            ApiServer api = null;
            if (config.http().enabled()) {
                // the API gets its own interpreters: TFLite ones are not to be shared across threads
                FacePipeline apiPipeline = add(parts, faceModels.open(1));
                LivenessModel apiLiveness = add(parts, livenessModels == null ? null : livenessModels.newChecker(livenessThreshold));
                ApiToken token = ApiToken.loadOrCreate(config.dataDir(), console);
                DoorCamera doorCamera = new DoorCamera() {
                    @Override
                    public Optional<Mat> latestFrame() {
                        return latest.copy();
                    }

                    @Override
                    public Optional<CameraStatus> status() {
                        return Optional.of(camera.status());
                    }
                };
                api = add(parts, ApiServer.start(ApiSettings.from(config.http()), token, metrics,
                        new ApiServices(gallery, apiPipeline, Assembly.qualityGate(config.quality()), apiLiveness,
                                calibration, door, audit, lock, config.lock().pulse(), doorCamera)));
                log.info("HTTP API on {}", api.baseUrl());
            }
            // one line that says the door is watching, and with what
            String ready = String.format("ready: camera %s, %d people enrolled, lock %s, liveness %s, http %s",
                    config.camera().describe(), gallery.counts().enabledPeople(), config.lock().type().name().toLowerCase(),
                    liveness == null ? "off" : "on", api == null ? "off" : api.baseUrl());
            return new DoorDaemon(parts, lock, camera, latest, loop, metrics, SystemdNotifier.fromEnvironment(), api, mqtt,
                    ready);
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
        camera.start();
        notifier.ready();
        log.info(readyLine);
        notifier.status("watching the door");
        long frames = 0, failures = 0, rssWarm = 0;
        long start = System.nanoTime();
        long warmup = Math.min(200, Math.max(1, maxFrames / 10));
        boolean cameraWasUp = true;
        while (!stopping && (maxFrames == 0 || frames < maxFrames)) {
            Optional<Frame> next;
            try {
                next = camera.poll(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // the watchdog hears from the loop whether or not the camera delivers: a dead camera is reported
            // on /healthz, not "fixed" by systemd restarting the daemon over and over
            notifier.watchdogIfDue();
            metrics.counter(LOOP_TURNS, "Turns of the frame loop, with or without a frame (it feeds the watchdog).").inc();
            cameraWasUp = reportCamera(cameraWasUp);
            if (next.isEmpty()) {
                if (camera.ended()) break;
                continue;
            }
            Frame frame = next.get();
            try {
                DoorLoop.Step step = loop.process(frame);
                if (mqtt != null) mqtt.refusedFace(step.decision().action(), frame.image(), step.face());
            } catch (RuntimeException e) {
                failures++;
                lock.release();
                log.error("frame failed, lock released: {}", e.toString());
            } finally {
                latest.replace(frame.image());
            }
            frames++;
            if (frames == warmup) rssWarm = residentKb();
        }
        return new RunStats(frames, failures, (System.nanoTime() - start) / 1e9, rssWarm, residentKb());
    }

    /** The camera's health now, as /healthz and the metrics show it. */
    public CameraStatus cameraStatus() {
        return camera.status();
    }

    private boolean reportCamera(boolean wasUp) {
        CameraStatus status = camera.status();
        metrics.gauge("doorman_camera_up", status.up() ? 1 : 0);
        metrics.gauge("doorman_camera_dropped_frames", status.dropped());
        if (wasUp && !status.up()) {
            log.warn("camera down: no frame for more than {} s from {}", CAMERA_DOWN_AFTER.toSeconds(), status.source());
            notifier.status("camera down");
        } else if (!wasUp && status.up()) {
            log.info("camera back: {}", status.source());
            notifier.status("watching the door");
        }
        return status.up();
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

    @Override
    public void close() {
        stopping = true;
        notifier.stopping();
        lock.release();
        closeAll(parts);
        lock.close();
    }

    /**
     * The configured camera behind the frame-rate cap. A device or a capture command is reopened with backoff when it
     * fails; a replay is files, so it is opened once (a missing folder or a video file is refused at start) and,
     * without {@code loop}, the run ends after its last frame.
     */
    static FrameSource openSource(CameraConfig camera) {
        FrameSource source = switch (camera.type()) {
            case V4L2 -> new ReconnectingSource(() -> new V4l2Source(camera.device(), camera.width(), camera.height(), camera.fpsCap()));
            case COMMAND -> new ReconnectingSource(() -> new MjpegCommandSource(camera.command()));
            case REPLAY -> replay(camera);
        };
        return new FrameRateCap(source, camera.fpsCap());
    }

    private static FrameSource replay(CameraConfig camera) {
        Path path = camera.path();
        if (Files.isDirectory(path)) return ReplaySource.ofFolder(path, camera.loop());
        if (!Files.isRegularFile(path)) throw new IllegalStateException("camera.path " + path + " does not exist");
        if (!ReplaySource.isImage(path))
            throw new IllegalStateException("camera.path " + path + " is not an image or a folder of images; to play a video,"
                    + " use camera.type: command with a decoder writing MJPEG, e.g. [ffmpeg, -re, -i, " + path.getFileName()
                    + ", -f, mjpeg, \"-\"]");
        return new ReplaySource(List.of(path), camera.loop());
    }

    private static Optional<PersonAccess> access(Gallery gallery, long personId) {
        return gallery.person(personId).map(p -> new PersonAccess(personId, p.name(), p.enabled(),
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
