package doorman.lab.bench;

import doorman.app.Assembly;
import doorman.audit.AuditLog;
import doorman.camera.Frame;
import doorman.config.DoormanConfig;
import doorman.daemon.DoorDaemon;
import doorman.daemon.DoorLoop;
import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.liveness.MiniFasNetLiveness;
import doorman.match.Calibration;
import doorman.match.DoorVisit;
import doorman.match.GalleryView;
import doorman.metrics.Metrics;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.policy.PersonAccess;
import doorman.policy.PersonSchedule;
import doorman.policy.UnlockPolicy;
import doorman.vision.Detector;
import doorman.vision.Face;
import doorman.vision.ImageDecoder;
import doorman.vision.Liveness;
import doorman.vision.LivenessModel;
import org.opencv.core.Mat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The door's per-frame path on a recording, in two parts.
 *
 * <p><b>Throughput</b>: the daemon's {@link DoorLoop} built from the config as {@code DoorDaemon} builds it (real
 * models, the config's liveness, gallery and audit on disk), fed every frame as fast as it goes, with each stage
 * timed by a wrapper around the real detector, encoder and liveness model; decoding the JPEG counts as a stage and
 * belongs to the whole frame. The frames carry capture times 1/fps apart, so the policy sees the camera's rate.
 *
 * <p><b>Time to unlock</b>: the real {@link DoorDaemon} (frame grabber in the live camera's newest-frame mode, the
 * loop, the policy) over a camera that delivers the recording at the configured rate in real time, with a lock that
 * notes when it is pulsed. Time to unlock is the pulse's time minus the arrival of the first frame of the visit.
 */
public final class DoorBench {

    /** Time to unlock over the enrolled visits; pulses during a stranger's visit count as stranger unlocks. */
    public record Unlocks(int visits, int unlocked, List<Double> millis, double medianMs, double maxMs, int strangerPulses,
                          long framesProcessed, long framesDelivered) {}

    /** One run: a frame size and an interpreter thread count. */
    public record Result(int width, int height, int threads, int frames, int faceFrames, List<StageTimes.Summary> stages,
                         double framesPerSecond, Unlocks unlocks, long rssKb, long peakRssKb) {}

    private DoorBench() {}

    /** Enrolls the recording's enrolled visitors from their own photos (one template each) into the data folder. */
    public static void enroll(DoormanConfig config, ModelFiles models, DoorFrames.Recording recording) {
        try (FacePipeline pipeline = FacePipeline.open(models, Assembly.pipelineOptions(config, 1));
             Gallery gallery = Gallery.open(config.dataDir())) {
            for (DoorFrames.Visitor v : recording.visitors()) {
                if (!v.enrolled()) continue;
                Person p = gallery.addPerson(v.name());
                FacePipeline.FaceEmbedding face = pipeline.largest(v.enrolPhoto());
                gallery.addTemplate(p.id(), face.embedding(), pipeline.encoderName(), "%064x".formatted(p.id()), face.face().score());
            }
        }
    }

    public static Result run(DoormanConfig config, ModelFiles models, DoorFrames.Recording recording, double fps) {
        StageTimes times = new StageTimes();
        double fpsMeasured = throughput(config, models, recording, fps, times);
        Unlocks unlocks = timeToUnlock(config, models, recording, fps);
        int faceFrames = (int) recording.shots().stream().filter(s -> !s.empty()).count();
        return new Result(recording.width(), recording.height(), config.effectiveThreads(), recording.shots().size(), faceFrames,
                times.summaries(), fpsMeasured, unlocks, status("VmRSS:"), status("VmHWM:"));
    }

    /** Every frame through the loop twice: once to warm up, once timed. Returns frames a second of the timed pass. */
    static double throughput(DoormanConfig config, ModelFiles models, DoorFrames.Recording recording, double fps, StageTimes times) {
        FrameClock clock = new FrameClock(Instant.parse("2026-01-05T09:00:00Z"));
        int threads = config.effectiveThreads();
        try (FacePipeline.Shared shared = FacePipeline.Shared.load(models, Assembly.pipelineOptions(config, threads));
             FacePipeline pipeline = shared.open(threads);
             Gallery gallery = Gallery.open(config.dataDir());
             AuditLog audit = AuditLog.open(config.dataDir(), config.audit(), clock);
             MiniFasNetLiveness.Models livenessModels = Assembly.livenessModels(config, models);
             LivenessModel liveness = livenessModels == null ? null
                     : livenessModels.newChecker(Assembly.livenessThreshold(config, models));
             RecordingLock lock = new RecordingLock()) {
            Calibration calibration = Assembly.calibration(config, models, pipeline.encoderName());
            Timed timed = new Timed(pipeline, pipeline, liveness);
            UnlockPolicy policy = new UnlockPolicy(config.policy(), clock, id -> gallery.person(id)
                    .map(p -> new PersonAccess(id, p.name(), p.enabled(), PersonSchedule.ALWAYS)));
            DoorLoop loop = new DoorLoop(timed, timed, Assembly.qualityGate(config.quality()), liveness == null ? null : timed,
                    new GalleryView(gallery, calibration, Assembly.doorSettings(config, models, calibration)),
                    new DoorVisit(config.policy().frames()), policy, lock, config.lock().pulse(), audit, new Metrics());
            Duration step = Duration.ofNanos(Math.round(1e9 / fps));
            long timedNanos = 0;
            for (int pass = 0; pass < 2; pass++) {
                timed.recordInto(pass == 0 ? new StageTimes() : times);
                long passStart = System.nanoTime();
                for (DoorFrames.Shot shot : recording.shots()) {
                    clock.advance(step);
                    long start = System.nanoTime();
                    Mat image = ImageDecoder.decode(shot.jpeg());
                    timed.add("decode", System.nanoTime() - start);
                    try (Frame frame = new Frame(image, clock.instant())) {
                        loop.process(frame);
                    }
                    timed.add(shot.empty() ? "whole frame, nobody there" : "whole frame, a face", System.nanoTime() - start);
                }
                timedNanos = System.nanoTime() - passStart;
            }
            return recording.shots().size() / (timedNanos / 1e9);
        }
    }

    /** The real daemon over the paced recording. */
    static Unlocks timeToUnlock(DoormanConfig config, ModelFiles models, DoorFrames.Recording recording, double fps) {
        PacedSource camera = new PacedSource(recording.shots(), fps);
        RecordingLock lock = new RecordingLock();
        DoorDaemon.RunStats stats;
        try (DoorDaemon daemon = DoorDaemon.open(config, models, lock, camera, Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()))) {
            stats = daemon.run(0);
        }
        List<DoorFrames.Shot> shots = recording.shots();
        List<Long> pulses = lock.pulses();
        List<Double> millis = new ArrayList<>();
        int visits = 0, strangerPulses = 0;
        for (long pulse : pulses) {
            int shot = shotAt(camera, pulse);
            while (shot > 0 && shots.get(shot).empty()) shot--;
            if (shot >= 0 && !shots.get(shot).empty() && !shots.get(shot).enrolled()) strangerPulses++;
        }
        for (int start : recording.enrolledVisitStarts()) {
            visits++;
            int end = start;
            while (end + 1 < shots.size() && shots.get(end + 1).visit() == shots.get(start).visit()) end++;
            long from = camera.arrival(start);
            // the visit's pulse: the first one after its first frame and before the next visitor appears
            long until = end + 1 < shots.size() ? nextVisitArrival(camera, shots, end) : Long.MAX_VALUE;
            for (long pulse : pulses) {
                if (pulse >= from && pulse < until) {
                    millis.add((pulse - from) / 1e6);
                    break;
                }
            }
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Unlocks(visits, millis.size(), millis, sorted.length == 0 ? Double.NaN : StageTimes.percentile(sorted, 50),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], strangerPulses, stats.frames(), camera.delivered());
    }

    private static long nextVisitArrival(PacedSource camera, List<DoorFrames.Shot> shots, int end) {
        for (int i = end + 1; i < shots.size(); i++)
            if (!shots.get(i).empty()) return camera.arrival(i) == 0 ? Long.MAX_VALUE : camera.arrival(i);
        return Long.MAX_VALUE;
    }

    /** The last frame that had arrived at {@code nanos}. */
    private static int shotAt(PacedSource camera, long nanos) {
        int found = -1;
        for (int i = 0; i < camera.delivered(); i++) if (camera.arrival(i) <= nanos) found = i;
        return found;
    }

    /** This process's memory line from /proc (VmRSS, VmHWM) in kB, or -1 where there is no /proc. */
    static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("\\D+", ""));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The real detector, encoder and liveness model, each call timed. */
    private static final class Timed implements Detector, Encoder, LivenessModel {
        private final Detector detector;
        private final Encoder encoder;
        private final LivenessModel liveness;
        private StageTimes times = new StageTimes();

        Timed(Detector detector, Encoder encoder, LivenessModel liveness) {
            this.detector = detector;
            this.encoder = encoder;
            this.liveness = liveness;
        }

        void recordInto(StageTimes into) {
            times = into;
        }

        void add(String stage, long nanos) {
            times.add(stage, nanos);
        }

        @Override
        public List<Face> detect(Mat bgr) {
            long start = System.nanoTime();
            List<Face> faces = detector.detect(bgr);
            add("detect", System.nanoTime() - start);
            return faces;
        }

        @Override
        public Embedding embed(Mat bgr, Face face) {
            long start = System.nanoTime();
            Embedding e = encoder.embed(bgr, face);
            add("align + embed", System.nanoTime() - start);
            return e;
        }

        @Override
        public String space() {
            return encoder.space();
        }

        @Override
        public Liveness check(Mat bgr, Face face) {
            long start = System.nanoTime();
            Liveness l = liveness.check(bgr, face);
            add("liveness", System.nanoTime() - start);
            return l;
        }
    }

    /** A clock the bench moves forward one frame at a time. */
    private static final class FrameClock extends Clock {
        private Instant now;

        FrameClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A relay that notes when it was pulsed (monotonic nanoseconds) and is never energised. */
    static final class RecordingLock implements doorman.lock.LockActuator {
        private final List<Long> pulses = new ArrayList<>();

        @Override
        public synchronized void pulse(Duration duration) {
            pulses.add(System.nanoTime());
        }

        synchronized List<Long> pulses() {
            return List.copyOf(pulses);
        }

        @Override
        public void release() {
        }

        @Override
        public boolean energised() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
