package doorman.match;

import doorman.embedding.Embedding;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The frame loop's side of {@link DoorDecision}: the embeddings of the current streak (frames in a row whose nearest
 * person is the same, within the unknown distance), and the door's verdict on the last {@code frames} of them.
 * While the streak is still shorter than {@code frames}, a frame counts as a candidate ({@link Recognition#ACCEPT}):
 * the unlock policy cannot open on fewer frames, and when it has enough, the verdict it gets is the fused one over
 * exactly those frames. The streak is forgotten whenever the policy's would be (another person, a stranger, no usable
 * face, a refused visit), so it always ends with the policy's streak. Not thread-safe: the frame loop's own.
 */
public final class DoorVisit {

    private final int frames;
    private final ArrayDeque<Embedding> streak = new ArrayDeque<>();
    private long person = -1;

    public DoorVisit(int frames) {
        if (frames < 1) throw new IllegalArgumentException("a visit needs at least one frame, got " + frames);
        this.frames = frames;
    }

    /** Adds a frame; empty when nobody can be recognised. */
    public Optional<DoorDecision.Verdict> add(Embedding frame, DoorDecision door) {
        Optional<DoorDecision.Nearest> nearest = door.nearest(frame);
        if (nearest.isEmpty()) {
            clear();
            return Optional.empty();
        }
        if (nearest.get().distance() > door.frameGate()) {
            clear();
            return door.decide(List.of(frame));
        }
        if (nearest.get().personId() != person) {
            clear();
            person = nearest.get().personId();
        }
        streak.addLast(frame);
        while (streak.size() > frames) streak.removeFirst();
        DoorDecision.Verdict verdict = door.decide(List.copyOf(streak)).orElseThrow();
        if (streak.size() < frames && verdict.consistent() && verdict.personId() == person)
            return Optional.of(verdict.asCandidate());
        if (!verdict.accepted()) clear();
        return Optional.of(verdict);
    }

    /** Forgets the streak (no face, a poor one, the camera restarted). */
    public void clear() {
        streak.clear();
        person = -1;
    }

    /** Frames in the current streak. */
    public int size() {
        return streak.size();
    }
}
