package doorman.daemon;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.camera.Frame;
import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.lock.LockActuator;
import doorman.match.DoorDecision;
import doorman.match.DoorVisit;
import doorman.match.GalleryView;
import doorman.match.Match;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import doorman.policy.Decision;
import doorman.policy.FrameOutcome;
import doorman.match.Recognition;
import doorman.policy.UnlockPolicy;
import doorman.vision.Detector;
import doorman.vision.Face;
import doorman.vision.Liveness;
import doorman.vision.LivenessModel;
import doorman.vision.Quality;
import doorman.vision.QualityGate;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The door's pipeline, one frame at a time, all in this file:
 * detect the largest face -> quality gate -> embed -> the door's decision on the visit so far (the streak's frames
 * fused, {@link DoorVisit}) -> liveness (every face that reached the matcher) -> unlock policy -> pulse the lock
 * -> audit. Frames without a face cost one detection; the policy wants live votes across the whole streak.
 */
public final class DoorLoop {

    private static final Logger log = LoggerFactory.getLogger(DoorLoop.class);

    /**
     * What one frame came to, for tests, metrics and the audit log; {@code face} is the largest face, or null;
     * {@code event} the audit event the decision made (id 0 when the store failed), or null when it made none.
     */
    public record Step(Instant time, Recognition recognition, Match match, Quality quality, Liveness liveness, Decision decision,
                       Face face, AuditEvent event) {}

    private final Detector detector;
    private final Encoder encoder;
    private final QualityGate qualityGate;
    private final LivenessModel liveness;
    private final GalleryView gallery;
    private final DoorVisit visit;
    private final UnlockPolicy policy;
    private final LockActuator lock;
    private final Duration pulse;
    private final AuditLog audit;
    private final Metrics metrics;

    /** {@code liveness} may be null when the config turns it off. */
    public DoorLoop(Detector detector, Encoder encoder, QualityGate qualityGate, LivenessModel liveness, GalleryView gallery,
                    DoorVisit visit, UnlockPolicy policy, LockActuator lock, Duration pulse, AuditLog audit, Metrics metrics) {
        this.detector = detector;
        this.encoder = encoder;
        this.qualityGate = qualityGate;
        this.liveness = liveness;
        this.gallery = gallery;
        this.visit = visit;
        this.policy = policy;
        this.lock = lock;
        this.pulse = pulse;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Decides on one camera frame; its capture time, not the time the loop got to it, is what the policy judges. */
    public Step process(Frame camera) {
        Mat frame = camera.image();
        Instant time = camera.capturedAt();
        long started = System.nanoTime();
        List<Face> faces = timed("detect", () -> detector.detect(frame));
        if (faces.isEmpty()) {
            visit.clear();
            return decide(FrameOutcome.noFace(time), null, null, null, null, null, started);
        }
        Face face = faces.get(0);
        Quality quality = timed("quality", () -> qualityGate.assess(frame, face));
        if (!quality.ok()) {
            visit.clear();
            return decide(new FrameOutcome(time, null, Recognition.NO_FACE, false, false), face, null, null, quality, null, started);
        }
        Embedding embedding = timed("embed", () -> encoder.embed(frame, face));
        Optional<DoorDecision.Verdict> found = timed("match", () -> visit.add(embedding, gallery.decision()));
        Match match = found.map(DoorDecision.Verdict::toMatch).orElse(null);
        Recognition recognition = match == null ? Recognition.STRANGER : match.decision();
        Long personId = recognition == Recognition.ACCEPT ? match.personId() : null;
        // MiniFASNet costs a few ms, so every face that reached the matcher is checked and the audit has its score
        Liveness live = liveness == null ? null : timed("liveness", () -> liveness.check(frame, face));
        boolean isLive = live == null || live.live();
        return decide(new FrameOutcome(time, personId, recognition, isLive, true), face, match, found.orElse(null), quality, live, started);
    }

    private Step decide(FrameOutcome outcome, Face face, Match match, DoorDecision.Verdict verdict, Quality quality, Liveness live,
                        long started) {
        Decision decision = withDistances(policy.onFrame(outcome), verdict);
        // The order is the same for every unlock (here and ManualUnlock): decide, audit, then pulse, so the record
        // exists before the door moves. A face unlock still opens when the audit store fails (a full disk must not
        // lock the household out; the event goes to the journal instead), where a manual unlock is refused.
        AuditEvent event = null;
        if (decision.action() != Action.NONE) {
            // a name only for a decision about that person: a stranger is never logged under the nearest name
            String name = match == null || decision.personId() == null ? null : match.name();
            event = audit.recordOrLog(AuditEvent.of(outcome.time(), decision, name,
                    match == null ? Double.NaN : match.distance(), match == null ? Double.NaN : match.probability(),
                    live == null ? Double.NaN : live.score(), quality == null ? "" : quality.summary()));
            metrics.count("doorman_decisions_total", "action", decision.action().name().toLowerCase());
        }
        if (decision.action() == Action.UNLOCK) {
            lock.pulse(pulse);
            metrics.recordUnlock("face");
        }
        metrics.observe("doorman_frame_seconds", (System.nanoTime() - started) / 1e9);
        metrics.count("doorman_frames_total", "recognition", outcome.recognition().name().toLowerCase());
        if (decision.action() == Action.UNLOCK) log.info("unlock person={} reason={}", decision.personId(), decision.reason());
        return new Step(outcome.time(), outcome.recognition(), match, quality, live, decision, face, event);
    }

    /** The audit keeps the fused distance (the match's) and the threshold in force beside the policy's reason. */
    private static Decision withDistances(Decision decision, DoorDecision.Verdict verdict) {
        if (verdict == null || decision.action() == Action.NONE) return decision;
        return new Decision(decision.action(), decision.personId(), String.format(java.util.Locale.ROOT,
                "%s; fused distance %.4f over %d frame(s), threshold %.4f", decision.reason(), verdict.distance(),
                verdict.frames(), verdict.threshold().distance()));
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
