package doorman.policy;

import doorman.match.Recognition;
import java.time.Instant;
import java.util.Objects;

/**
 * One analysed frame as the policy sees it: when it was captured, the best-matching person (null when there is
 * none), what the matcher decided, and whether the face passed the liveness and quality checks.
 */
public record FrameOutcome(Instant time, Long personId, Recognition recognition, boolean live, boolean qualityOk) {

    public FrameOutcome {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(recognition, "recognition");
        if (recognition == Recognition.ACCEPT && personId == null)
            throw new IllegalArgumentException("an accepted frame needs the person's id");
        if (recognition == Recognition.NO_FACE && personId != null)
            throw new IllegalArgumentException("a frame without a face has no person");
    }

    public static FrameOutcome accepted(Instant time, long personId, boolean live, boolean qualityOk) {
        return new FrameOutcome(time, personId, Recognition.ACCEPT, live, qualityOk);
    }

    public static FrameOutcome stranger(Instant time, boolean live, boolean qualityOk) {
        return new FrameOutcome(time, null, Recognition.STRANGER, live, qualityOk);
    }

    public static FrameOutcome noFace(Instant time) {
        return new FrameOutcome(time, null, Recognition.NO_FACE, false, false);
    }
}
