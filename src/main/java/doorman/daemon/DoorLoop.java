package doorman.daemon;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.embedding.Embedding;
import doorman.lock.LockActuator;
import doorman.match.GalleryView;
import doorman.match.Identification;
import doorman.match.Match;
import doorman.metrics.Metrics;
import doorman.pipeline.FacePipeline;
import doorman.policy.Action;
import doorman.policy.Decision;
import doorman.policy.FrameOutcome;
import doorman.policy.Recognition;
import doorman.policy.UnlockPolicy;
import doorman.vision.Face;
import doorman.vision.Liveness;
import doorman.vision.LivenessChecker;
import doorman.vision.Quality;
import doorman.vision.QualityGate;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The door's pipeline, one frame at a time, all in this file:
 * detect the largest face -> quality gate -> embed -> identify against the gallery (accept / unknown margins)
 * -> liveness, only for a candidate match -> unlock policy -> pulse the lock -> audit.
 * Frames without a face cost one detection; strangers never reach the liveness model, and a known face only
 * while the policy still needs a live frame for its streak.
 */
public final class DoorLoop {

    private static final Logger log = LoggerFactory.getLogger(DoorLoop.class);

    /** What one frame came to, for tests, metrics and the audit log. */
    public record Step(Instant time, Recognition recognition, Match match, Quality quality, Liveness liveness, Decision decision) {}

    private final FacePipeline pipeline;
    private final QualityGate qualityGate;
    private final LivenessChecker liveness;
    private final GalleryView gallery;
    private final UnlockPolicy policy;
    private final LockActuator lock;
    private final Duration pulse;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;

    /** {@code liveness} may be null when the config turns it off. */
    public DoorLoop(FacePipeline pipeline, QualityGate qualityGate, LivenessChecker liveness, GalleryView gallery,
                    UnlockPolicy policy, LockActuator lock, Duration pulse, AuditLog audit, Metrics metrics, Clock clock) {
        this.pipeline = pipeline;
        this.qualityGate = qualityGate;
        this.liveness = liveness;
        this.gallery = gallery;
        this.policy = policy;
        this.lock = lock;
        this.pulse = pulse;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Step process(Mat frame) {
        Instant time = clock.instant();
        long started = System.nanoTime();
        List<Face> faces = timed("detect", () -> pipeline.detect(frame));
        if (faces.isEmpty()) return decide(FrameOutcome.noFace(time), null, null, null, started);
        Face face = faces.get(0);
        Quality quality = timed("quality", () -> qualityGate.assess(frame, face));
        if (!quality.ok()) {
            return decide(new FrameOutcome(time, null, Recognition.NO_FACE, false, false), null, quality, null, started);
        }
        Embedding embedding = timed("embed", () -> pipeline.embed(frame, face));
        Optional<Identification> found = timed("match", () -> gallery.matcher().identify(embedding, pipeline.encoderName()));
        Match match = found.map(Identification::best).orElse(null);
        Recognition recognition = match == null ? Recognition.STRANGER : switch (match.decision()) {
            case ACCEPT -> Recognition.ACCEPT;
            case UNCERTAIN -> Recognition.UNCERTAIN;
            case STRANGER -> Recognition.STRANGER;
        };
        String personId = recognition == Recognition.ACCEPT ? String.valueOf(match.personId()) : null;
        boolean checkLiveness = personId != null && liveness != null && policy.needsLiveFrame(personId);
        Liveness live = checkLiveness ? timed("liveness", () -> liveness.check(frame, face)) : null;
        // unchecked frames count as not live; they only fill the streak around the live ones already in it
        boolean isLive = liveness == null || (live != null && live.live());
        return decide(new FrameOutcome(time, personId, recognition, isLive, true), match, quality, live, started);
    }

    private Step decide(FrameOutcome outcome, Match match, Quality quality, Liveness live, long started) {
        Decision decision = policy.onFrame(outcome);
        if (decision.action() == Action.UNLOCK) {
            lock.pulse(pulse);
            metrics.recordUnlock("face");
        }
        if (decision.action() != Action.NONE) {
            audit.recordOrLog(AuditEvent.of(outcome.time(), decision, match == null ? null : match.name(),
                    match == null ? Double.NaN : match.distance(), match == null ? Double.NaN : match.probability(),
                    live == null ? Double.NaN : live.score(), quality == null ? "" : quality.summary()));
            metrics.count("doorman_decisions_total", "action", decision.action().name().toLowerCase());
        }
        metrics.observe("doorman_frame_seconds", (System.nanoTime() - started) / 1e9);
        metrics.count("doorman_frames_total", "recognition", outcome.recognition().name().toLowerCase());
        if (decision.action() == Action.UNLOCK) log.info("unlock person={} reason={}", decision.personId(), decision.reason());
        return new Step(outcome.time(), outcome.recognition(), match, quality, live, decision);
    }

    private <T> T timed(String stage, java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            metrics.observe("doorman_stage_seconds", "stage", stage, (System.nanoTime() - start) / 1e9);
        }
    }
}
