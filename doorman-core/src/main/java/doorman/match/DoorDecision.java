package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Person;
import doorman.gallery.Template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The door's answer to "is this anyone in the household?", the one piece of code the daemon, {@code identify},
 * {@code verify --as} and the HTTP API all ask. A visit is the frames the unlock policy decides on (one frame for a
 * photo): their embeddings are fused into one ({@link VisitFusion}) and compared with each enabled person's
 * references (their templates' centroid, or every template); the nearest person is accepted when
 * <ul>
 *   <li>the fused distance is within the {@link DoorThreshold} set from the target stranger accept per visit and
 *   the number of references, and</li>
 *   <li>every frame on its own has that same person nearest, within the calibration's unknown distance (identity
 *   consistency: a visit that drifts between people, or holds a frame nobody is near, is not fused into a yes).</li>
 * </ul>
 * Immutable and thread-safe; build a new one when the gallery changes ({@link GalleryView} does).
 */
public final class DoorDecision {

    /** What a person is compared by. */
    public enum References {
        /** The normalised mean of their templates: one comparison per person. */
        CENTROID,
        /** Each template, the nearest counting: one comparison per template. */
        TEMPLATES
    }

    /**
     * A visit's outcome: the nearest person by the fused embedding (id -1 and an infinite distance when nobody is
     * enrolled), the fused distance, the threshold in force, whether every frame agreed, and the decision.
     */
    public record Verdict(long personId, String name, double distance, double probability, DoorThreshold threshold,
                          int frames, boolean consistent, Recognition decision) {

        public boolean accepted() {
            return decision == Recognition.ACCEPT;
        }

        /** This verdict as a frame of a streak still filling up: a candidate for its person, decided when the streak is full. */
        public Verdict asCandidate() {
            return new Verdict(personId, name, distance, probability, threshold, frames, consistent, Recognition.ACCEPT);
        }

        /** The verdict as the matcher's per-person result, for callers that print or audit a {@link Match}. */
        public Match toMatch() {
            return new Match(personId, name, distance, probability, decision);
        }
    }

    private final Calibration calibration;
    private final References references;
    private final DoorThreshold threshold;
    private final int dimension;
    private final long[] personIds;
    private final String[] names;
    /** Reference row r belongs to slot owner[r]; rows sit in {@code rows}, {@code dimension} floats each. */
    private final int[] owner;
    private final float[] rows;
    /** How many photos each reference row is made of, for the stranger curves. */
    private final int[] templatesPerReference;

    public DoorDecision(Calibration calibration, References references, List<Person> people, List<Template> templates,
                        StrangerCurves curves, double strangerAcceptPerVisit) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.references = Objects.requireNonNull(references, "references");
        List<Person> enabled = new ArrayList<>(people.stream().filter(Person::enabled).toList());
        enabled.sort(Comparator.comparingLong(Person::id));
        long[] ids = enabled.stream().mapToLong(Person::id).toArray();
        List<List<Embedding>> bySlot = new ArrayList<>();
        for (int s = 0; s < ids.length; s++) bySlot.add(new ArrayList<>());
        int dim = -1;
        for (Template t : templates) {
            if (!t.encoder().equals(calibration.encoder())) continue;
            int slot = Arrays.binarySearch(ids, t.personId());
            if (slot < 0) continue;
            if (dim == -1) dim = t.dimension();
            else if (dim != t.dimension())
                throw new IllegalArgumentException("template " + t.id() + " has " + t.dimension() + " values, others " + dim);
            bySlot.get(slot).add(t.embedding());
        }
        // people without templates of this encoder cannot be recognised; keep only those with some
        List<Long> keptIds = new ArrayList<>();
        List<String> keptNames = new ArrayList<>();
        List<Embedding> refs = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<Integer> made = new ArrayList<>();
        for (int s = 0; s < ids.length; s++) {
            List<Embedding> own = bySlot.get(s);
            if (own.isEmpty()) continue;
            int slot = keptIds.size();
            keptIds.add(ids[s]);
            keptNames.add(enabled.get(s).name());
            List<Embedding> mine = references == References.CENTROID ? List.of(VisitFusion.mean(own)) : own;
            for (Embedding e : mine) {
                refs.add(e);
                owners.add(slot);
                made.add(references == References.CENTROID ? own.size() : 1);
            }
        }
        dimension = dim;
        personIds = keptIds.stream().mapToLong(Long::longValue).toArray();
        names = keptNames.toArray(String[]::new);
        owner = owners.stream().mapToInt(Integer::intValue).toArray();
        rows = new float[refs.size() * Math.max(dim, 0)];
        for (int r = 0; r < refs.size(); r++) System.arraycopy(refs.get(r).values(), 0, rows, r * dim, dim);
        templatesPerReference = made.stream().mapToInt(Integer::intValue).toArray();
        threshold = DoorThreshold.forTarget(curves, strangerAcceptPerVisit, templatesPerReference);
    }

    public DoorThreshold threshold() {
        return threshold;
    }

    public References references() {
        return references;
    }

    /** How many photos each reference is made of (a centroid's templates, or 1). */
    public int[] templatesPerReference() {
        return templatesPerReference.clone();
    }

    /** People who can be recognised (enabled, with templates of this encoder). */
    public int people() {
        return personIds.length;
    }

    public String encoder() {
        return calibration.encoder();
    }

    /** The visit's verdict; empty when nobody can be recognised. */
    public Optional<Verdict> decide(List<Embedding> frames) {
        if (personIds.length == 0) return Optional.empty();
        Embedding fused = fuse(frames);
        double[] toPeople = distances(fused.values());
        int best = argmin(toPeople);
        boolean consistent = consistent(frames, best);
        return Optional.of(verdict(best, toPeople[best], consistent, frames.size(), consistent));
    }

    /**
     * Whether the door would take this visit for {@code personId}: the fused distance to them, accepted only when
     * {@link #decide} would accept them. A person who is disabled, unknown or without templates gives an infinite
     * distance and a stranger.
     */
    public Verdict verify(List<Embedding> frames, long personId, String name) {
        int slot = Arrays.binarySearch(personIds, personId);
        if (slot < 0) {
            fuse(frames);
            return new Verdict(personId, name, Double.POSITIVE_INFINITY, 0.0, threshold, frames.size(), false,
                    Recognition.STRANGER);
        }
        Embedding fused = fuse(frames);
        double[] toPeople = distances(fused.values());
        boolean nearestIsThem = argmin(toPeople) == slot;
        return verdict(slot, toPeople[slot], nearestIsThem && consistent(frames, slot), frames.size(), nearestIsThem);
    }

    /** The person nearest to one frame and the distance, or empty when nobody can be recognised. */
    public Optional<Nearest> nearest(Embedding frame) {
        if (personIds.length == 0) return Optional.empty();
        double[] d = distances(checked(frame));
        int best = argmin(d);
        return Optional.of(new Nearest(personIds[best], d[best]));
    }

    /** One frame's nearest person. */
    public record Nearest(long personId, double distance) {}

    /** The calibration's unknown distance: a frame farther than this from everyone is a stranger's. */
    public double frameGate() {
        return calibration.unknownDistance();
    }

    private Verdict verdict(int slot, double distance, boolean consistent, int frames, boolean mayAccept) {
        Recognition decision = mayAccept && consistent && distance <= threshold.distance() ? Recognition.ACCEPT
                : distance > calibration.unknownDistance() ? Recognition.STRANGER : Recognition.UNCERTAIN;
        return new Verdict(personIds[slot], names[slot], distance, calibration.probabilitySame(distance), threshold,
                frames, consistent, decision);
    }

    private boolean consistent(List<Embedding> frames, int slot) {
        for (Embedding frame : frames) {
            double[] d = distances(frame.values());
            if (argmin(d) != slot || d[slot] > calibration.unknownDistance()) return false;
        }
        return true;
    }

    private Embedding fuse(List<Embedding> frames) {
        if (frames.isEmpty()) throw new IllegalArgumentException("a visit needs at least one frame");
        for (Embedding f : frames) checked(f);
        return frames.size() == 1 ? frames.get(0) : VisitFusion.mean(frames);
    }

    /** Each slot's smallest distance to the probe. */
    private double[] distances(float[] probe) {
        double[] best = new double[personIds.length];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int r = 0; r < owner.length; r++) {
            int base = r * dimension;
            double d = 0;
            for (int i = 0; i < dimension; i++) {
                double x = probe[i] - rows[base + i];
                d += x * x;
            }
            if (d < best[owner[r]]) best[owner[r]] = d;
        }
        return best;
    }

    /** The nearest slot; ties go to the lower id, so the answer never depends on arrival order. */
    private static int argmin(double[] d) {
        int best = 0;
        for (int i = 1; i < d.length; i++) if (d[i] < d[best]) best = i;
        return best;
    }

    private float[] checked(Embedding probe) {
        float[] v = probe.values();
        if (dimension >= 0 && v.length != dimension)
            throw new IllegalArgumentException("the probe has " + v.length + " values but the templates of encoder "
                    + encoder() + " have " + dimension);
        for (float x : v) if (!Float.isFinite(x)) throw new IllegalArgumentException("the probe holds a non-finite value");
        return v;
    }
}
