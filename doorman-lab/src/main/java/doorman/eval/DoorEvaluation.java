package doorman.eval;

import doorman.embedding.Embedding;
import doorman.gallery.Person;
import doorman.gallery.Template;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.DoorThreshold;
import doorman.match.Identification;
import doorman.match.Matcher;
import doorman.match.StrangerCurves;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The open-set door evaluation: households of {@code household} people, each enrolled with {@code photos} photos,
 * drawn at random (seeded, {@code repeats} times) from people with at least one photo more; everyone else is a
 * stranger. Genuine visits are the members' other photos, stranger visits the photos of everyone else. Counted per
 * single frame and per visit, with a visit's frames built two ways:
 * <ul>
 *   <li>{@link Level#DIVERSE}: {@code frames} different photos of the person (a photo and the next ones of the same
 *   person, cyclically); people with fewer photos left give no such visit;</li>
 *   <li>{@link Level#NEAR_DUPLICATE}: one photo under small camera-like perturbations ({@link Image#nearDuplicates}).</li>
 * </ul>
 * Two decisions are counted on the same visits: {@code before}, each frame accepted on its own by the old 1:K
 * matcher at the calibration's 1:1 accept distance and all frames for the same person (the policy's streak); and
 * {@code after}, the {@link DoorDecision} (fused visit, identity consistency, threshold from the target). The
 * after-decision is also swept over {@link #GRID} distances for the trade-off table. Each person's visits start from at
 * most {@link #VISITS_PER_PERSON} of their photos, so that people with hundreds of photos do not outweigh the rest.
 */
public final class DoorEvaluation {

    /** One photo of a held-out person: its embedding and the embeddings of its perturbed copies. */
    public record Image(String person, float[] embedding, List<float[]> nearDuplicates) {}

    public record Settings(int household, int photos, int repeats, int frames, long seed) {
        public Settings {
            if (household < 1 || photos < 1 || repeats < 1 || frames < 1)
                throw new IllegalArgumentException("household, photos, repeats and frames must be >= 1");
        }
    }

    public enum Level { FRAME, DIVERSE, NEAR_DUPLICATE }

    /** Genuine visit accepted as the right person; genuine visit accepted as another member; stranger accepted. */
    public enum Outcome { GENUINE_ACCEPT, WRONG_PERSON_ACCEPT, STRANGER_ACCEPT }

    /** Accept distances of the trade-off table. */
    public static final double[] GRID = grid(0.40, 1.10, 0.025);

    /** Photos of one person that start visits, in each household drawn. */
    public static final int VISITS_PER_PERSON = 10;

    /** Trials and accepts by level and outcome, for one decision. */
    public static final class Counts {
        final long[][] trials = new long[Level.values().length][Outcome.values().length];
        final long[][] accepted = new long[Level.values().length][Outcome.values().length];

        public BinomialInterval get(Level level, Outcome outcome) {
            return BinomialInterval.of(accepted[level.ordinal()][outcome.ordinal()], trials[level.ordinal()][outcome.ordinal()]);
        }
    }

    /** What one household size and enrollment depth came to. */
    public record Result(Settings settings, int eligiblePeople, String skipped, Map<String, Counts> decisions,
                         DoorThreshold threshold, int[] templatesPerReference, long[][][] sweep, long[][] sweepTrials) {

        /** The after-decision's accepts at {@code GRID[g]}. */
        public BinomialInterval at(int g, Level level, Outcome outcome) {
            return BinomialInterval.of(sweep[level.ordinal()][outcome.ordinal()][g], sweepTrials[level.ordinal()][outcome.ordinal()]);
        }
    }

    public static final String BEFORE = "before", AFTER = "after";

    private DoorEvaluation() {}

    /**
     * @param progress told after each household drawn
     */
    public static Result run(List<Image> images, Settings s, Calibration calibration, StrangerCurves curves, double target,
                             DoorDecision.References references, IntConsumer progress) {
        Map<String, List<Integer>> byPerson = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) byPerson.computeIfAbsent(images.get(i).person(), p -> new ArrayList<>()).add(i);
        List<String> eligible = byPerson.entrySet().stream().filter(e -> e.getValue().size() > s.photos()).map(Map.Entry::getKey).toList();
        Map<String, Counts> decisions = new LinkedHashMap<>();
        decisions.put(BEFORE, new Counts());
        decisions.put(AFTER, new Counts());
        int levels = Level.values().length, outcomes = Outcome.values().length;
        long[][][] sweep = new long[levels][outcomes][GRID.length];
        long[][] sweepTrials = new long[levels][outcomes];
        if (eligible.size() < s.household())
            return new Result(s, eligible.size(), "only " + eligible.size() + " people have more than " + s.photos()
                    + " photo(s)", decisions, null, new int[0], sweep, sweepTrials);
        DoorThreshold threshold = null;
        int[] made = new int[0];
        for (int rep = 0; rep < s.repeats(); rep++) {
            Random random = new Random(s.seed() * 1_000_003L + rep * 7919L + s.household() * 31L + s.photos());
            List<String> pool = new ArrayList<>(eligible);
            Collections.shuffle(pool, random);
            List<String> members = pool.subList(0, s.household());
            List<Person> people = new ArrayList<>();
            List<Template> templates = new ArrayList<>();
            Map<String, Long> idOf = new LinkedHashMap<>();
            Map<String, List<Integer>> probes = new LinkedHashMap<>();
            for (String member : members) {
                long id = idOf.size() + 1;
                idOf.put(member, id);
                people.add(new Person(id, member, Instant.EPOCH, true));
                List<Integer> photos = new ArrayList<>(byPerson.get(member));
                Collections.shuffle(photos, random);
                for (int j = 0; j < s.photos(); j++)
                    templates.add(new Template(templates.size() + 1, id, new Embedding(images.get(photos.get(j)).embedding()),
                            calibration.encoder(), "-", 1.0, Instant.EPOCH));
                probes.put(member, photos.subList(s.photos(), photos.size()));
            }
            Matcher before = new Matcher(calibration, people, templates, 0.0);
            DoorDecision after = new DoorDecision(calibration, references, people, templates, curves, target);
            threshold = after.threshold();
            made = after.templatesPerReference();
            Household house = new Household(images, before, after, decisions, sweep, sweepTrials, s.frames());
            for (String member : members) house.visits(probes.get(member), idOf.get(member));
            for (Map.Entry<String, List<Integer>> e : byPerson.entrySet())
                if (!idOf.containsKey(e.getKey())) house.visits(e.getValue(), -1);
            progress.accept(rep + 1);
        }
        return new Result(s, eligible.size(), null, decisions, threshold, made, sweep, sweepTrials);
    }

    /** One drawn household: counts every visit of a list of photos of one person (a member's id, or -1 for a stranger). */
    private record Household(List<Image> images, Matcher before, DoorDecision after, Map<String, Counts> decisions,
                             long[][][] sweep, long[][] sweepTrials, int frames) {

        void visits(List<Integer> photos, long truth) {
            for (int i = 0; i < Math.min(photos.size(), VISITS_PER_PERSON); i++) {
                Image image = images.get(photos.get(i));
                count(Level.FRAME, List.of(image.embedding()), truth);
                if (photos.size() >= frames) {
                    List<float[]> diverse = new ArrayList<>();
                    for (int j = 0; j < frames; j++) diverse.add(images.get(photos.get((i + j) % photos.size())).embedding());
                    count(Level.DIVERSE, diverse, truth);
                }
                if (!image.nearDuplicates().isEmpty()) count(Level.NEAR_DUPLICATE, image.nearDuplicates(), truth);
            }
        }

        private void count(Level level, List<float[]> visit, long truth) {
            List<Embedding> frames = visit.stream().map(Embedding::new).toList();
            long old = beforeDecision(frames);
            DoorDecision.Verdict verdict = after.decide(frames).orElseThrow();
            long now = verdict.accepted() ? verdict.personId() : 0;
            tally(decisions.get(BEFORE), level, truth, old);
            tally(decisions.get(AFTER), level, truth, now);
            if (truth > 0) {
                sweepTrials[level.ordinal()][Outcome.GENUINE_ACCEPT.ordinal()]++;
                sweepTrials[level.ordinal()][Outcome.WRONG_PERSON_ACCEPT.ordinal()]++;
            } else {
                sweepTrials[level.ordinal()][Outcome.STRANGER_ACCEPT.ordinal()]++;
            }
            if (!verdict.consistent()) return;
            Outcome outcome = truth < 0 ? Outcome.STRANGER_ACCEPT
                    : verdict.personId() == truth ? Outcome.GENUINE_ACCEPT : Outcome.WRONG_PERSON_ACCEPT;
            long[] row = sweep[level.ordinal()][outcome.ordinal()];
            for (int g = 0; g < GRID.length; g++) if (verdict.distance() <= GRID[g]) row[g]++;
        }

        /** The old rule: every frame accepted on its own by the 1:K matcher, all for one person; 0 when not. */
        private long beforeDecision(List<Embedding> frames) {
            long person = 0;
            for (Embedding frame : frames) {
                Optional<Identification> found = before.identify(frame);
                if (found.isEmpty() || !found.get().best().accepted()) return 0;
                long id = found.get().best().personId();
                if (person != 0 && id != person) return 0;
                person = id;
            }
            return person;
        }
    }

    /** Adds one visit: {@code truth} is the member's id or -1 for a stranger; {@code accepted} the id let in or 0. */
    static void tally(Counts counts, Level level, long truth, long accepted) {
        int l = level.ordinal();
        if (truth > 0) {
            counts.trials[l][Outcome.GENUINE_ACCEPT.ordinal()]++;
            counts.trials[l][Outcome.WRONG_PERSON_ACCEPT.ordinal()]++;
            if (accepted == truth) counts.accepted[l][Outcome.GENUINE_ACCEPT.ordinal()]++;
            else if (accepted != 0) counts.accepted[l][Outcome.WRONG_PERSON_ACCEPT.ordinal()]++;
        } else {
            counts.trials[l][Outcome.STRANGER_ACCEPT.ordinal()]++;
            if (accepted != 0) counts.accepted[l][Outcome.STRANGER_ACCEPT.ordinal()]++;
        }
    }

    private static double[] grid(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = Math.round((from + i * step) * 1000) / 1000.0;
        return g;
    }
}
