package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares probe embeddings with the templates of one encoder. Immutable and thread-safe; rebuild it when the
 * gallery changes. Templates of disabled people are left out, so disabled people are never identified, and
 * verifying one gives a stranger. All embeddings sit in one contiguous array, person by person, so a search
 * walks memory in order and allocates nothing per template.
 */
public final class Matcher {

    private final Calibration calibration;
    private final double minGap;
    private final int dimension;
    /** Person slots sorted by id. */
    private final long[] personIds;
    private final String[] names;
    /** Templates of slot s occupy rows personStart[s] until personStart[s + 1] of {@code embeddings}. */
    private final int[] personStart;
    private final float[] embeddings;

    /**
     * @param calibration margins for the templates' encoder; every template must come from {@code calibration.encoder()}
     * @param people      everyone the templates may belong to (names for the results; disabled people are skipped)
     * @param templates   the templates to compare against, all of one encoder and dimension
     * @param minGap      how much closer (squared distance) the best person must be than the runner-up to be
     *                    accepted; 0 still refuses an exact tie
     */
    public Matcher(Calibration calibration, List<Person> people, List<Template> templates, double minGap) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        if (!(minGap >= 0) || Double.isInfinite(minGap))
            throw new IllegalArgumentException("the minimum gap must be a finite number >= 0, got " + minGap);
        this.minGap = minGap;

        List<Person> sorted = new ArrayList<>(people);
        sorted.sort(Comparator.comparingLong(Person::id));
        personIds = new long[sorted.size()];
        names = new String[sorted.size()];
        boolean[] enabled = new boolean[sorted.size()];
        for (int s = 0; s < sorted.size(); s++) {
            Person person = sorted.get(s);
            if (s > 0 && person.id() == personIds[s - 1])
                throw new IllegalArgumentException("person " + person.id() + " is listed twice");
            personIds[s] = person.id();
            names[s] = person.name();
            enabled[s] = person.enabled();
        }

        int dim = -1;
        List<List<Template>> bySlot = new ArrayList<>();
        for (int s = 0; s < personIds.length; s++) bySlot.add(new ArrayList<>());
        for (Template template : templates) {
            if (!template.encoder().equals(calibration.encoder()))
                throw new IllegalArgumentException("template " + template.id() + " comes from encoder " + template.encoder()
                        + " but the calibration is for " + calibration.encoder());
            if (dim == -1) dim = template.dimension();
            else if (template.dimension() != dim)
                throw new IllegalArgumentException("template " + template.id() + " has " + template.dimension()
                        + " values but others have " + dim);
            int slot = Arrays.binarySearch(personIds, template.personId());
            if (slot < 0)
                throw new IllegalArgumentException("template " + template.id() + " belongs to person " + template.personId()
                        + " who is not among the people given");
            if (enabled[slot]) bySlot.get(slot).add(template);
        }
        dimension = dim;

        personStart = new int[personIds.length + 1];
        int rows = 0;
        for (int s = 0; s < personIds.length; s++) {
            personStart[s] = rows;
            rows += bySlot.get(s).size();
        }
        personStart[personIds.length] = rows;
        embeddings = new float[rows * Math.max(dim, 0)];
        int row = 0;
        for (List<Template> slotTemplates : bySlot) {
            for (Template template : slotTemplates) {
                System.arraycopy(template.embedding().values(), 0, embeddings, row * dim, dim);
                row++;
            }
        }
    }

    public Matcher(Calibration calibration, List<Person> people, List<Template> templates) {
        this(calibration, people, templates, 0.0);
    }

    /** A matcher over the gallery's templates of {@code calibration.encoder()}; templates of other encoders are ignored. */
    public static Matcher fromGallery(Gallery gallery, Calibration calibration, double minGap) {
        Gallery.Snapshot snapshot = gallery.snapshot();
        List<Template> ofEncoder = snapshot.templates().stream()
                .filter(t -> t.encoder().equals(calibration.encoder())).toList();
        return new Matcher(calibration, snapshot.people(), ofEncoder, minGap);
    }

    /** The encoder whose embeddings this matcher compares. */
    public String encoder() {
        return calibration.encoder();
    }

    /** Templates held (those of enabled people). */
    public int size() {
        return personStart[personIds.length];
    }

    /** Embedding dimension of the templates, or -1 when there are none. */
    public int dimension() {
        return dimension;
    }

    public Calibration calibration() {
        return calibration;
    }

    public double minGap() {
        return minGap;
    }

    /**
     * 1:1: the smallest distance between the probe and the person's templates. A disabled person or one without
     * templates of this encoder gives an infinite distance and {@link Recognition#STRANGER}.
     *
     * @throws NoSuchElementException   when {@code personId} was not among the people given
     * @throws IllegalArgumentException when the probe's dimension differs from the templates'
     */
    public Match verify(Embedding probe, long personId) {
        float[] values = checkedProbe(probe);
        int slot = Arrays.binarySearch(personIds, personId);
        if (slot < 0) throw new NoSuchElementException("no person with id " + personId);
        double distance = minDistance(values, slot);
        return match(slot, distance, decide(distance));
    }

    /** {@link #verify(Embedding, long)} after checking that the probe comes from this matcher's encoder. */
    public Match verify(Embedding probe, String probeEncoder, long personId) {
        checkEncoder(probeEncoder);
        return verify(probe, personId);
    }

    /**
     * 1:K: the enabled person whose nearest template is nearest to the probe, with the runner-up's distance.
     * Accepted only within the accept distance and at least {@code minGap} (and strictly) closer than the
     * runner-up; otherwise at best uncertain. Empty when no enabled person has a template.
     *
     * @throws IllegalArgumentException when the probe's dimension differs from the templates'
     */
    public Optional<Identification> identify(Embedding probe) {
        float[] values = checkedProbe(probe);
        int bestSlot = -1;
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        for (int slot = 0; slot < personIds.length; slot++) {
            if (personStart[slot] == personStart[slot + 1]) continue;
            double distance = minDistance(values, slot);
            if (distance < best) {
                second = best;
                best = distance;
                bestSlot = slot;
            } else if (distance < second) {
                second = distance;
            }
        }
        if (bestSlot < 0) return Optional.empty();
        Recognition decision = decide(best);
        boolean hasRunnerUp = second != Double.POSITIVE_INFINITY;
        if (decision == Recognition.ACCEPT && hasRunnerUp && !(second - best >= minGap && second > best))
            decision = Recognition.UNCERTAIN;
        return Optional.of(new Identification(match(bestSlot, best, decision), hasRunnerUp ? second : Double.NaN));
    }

    /** {@link #identify(Embedding)} after checking that the probe comes from this matcher's encoder. */
    public Optional<Identification> identify(Embedding probe, String probeEncoder) {
        checkEncoder(probeEncoder);
        return identify(probe);
    }

    private Recognition decide(double distance) {
        if (distance <= calibration.acceptDistance()) return Recognition.ACCEPT;
        if (distance > calibration.unknownDistance()) return Recognition.STRANGER;
        return Recognition.UNCERTAIN;
    }

    private Match match(int slot, double distance, Recognition decision) {
        double probability = Double.isInfinite(distance) ? 0.0 : calibration.probabilitySame(distance);
        return new Match(personIds[slot], names[slot], distance, probability, decision);
    }

    /**
     * Four independent partial sums let the CPU overlap the additions instead of waiting on one long chain
     * of them; the result may differ from {@link Embedding#squaredDistance} in the last bits only.
     */
    private double minDistance(float[] probe, int slot) {
        double min = Double.POSITIVE_INFINITY;
        int dim = dimension;
        int unrolled = dim & ~3;
        for (int row = personStart[slot]; row < personStart[slot + 1]; row++) {
            int base = row * dim;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i < unrolled; i += 4) {
                float d0 = probe[i] - embeddings[base + i];
                float d1 = probe[i + 1] - embeddings[base + i + 1];
                float d2 = probe[i + 2] - embeddings[base + i + 2];
                float d3 = probe[i + 3] - embeddings[base + i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; i < dim; i++) {
                float d = probe[i] - embeddings[base + i];
                s0 += d * d;
            }
            double sum = (double) s0 + s1 + s2 + s3;
            if (sum < min) min = sum;
        }
        return min;
    }

    private float[] checkedProbe(Embedding probe) {
        Objects.requireNonNull(probe, "probe");
        float[] values = probe.values();
        if (dimension >= 0 && values.length != dimension)
            throw new IllegalArgumentException("the probe has " + values.length + " values but the templates of encoder "
                    + encoder() + " have " + dimension);
        for (float v : values)
            if (!Float.isFinite(v)) throw new IllegalArgumentException("the probe holds a non-finite value");
        return values;
    }

    private void checkEncoder(String probeEncoder) {
        if (!encoder().equals(probeEncoder))
            throw new IllegalArgumentException("the probe comes from encoder " + probeEncoder + " but the templates from "
                    + encoder() + "; their distances mean nothing together");
    }
}
