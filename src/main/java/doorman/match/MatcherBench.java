package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Person;
import doorman.gallery.Template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Times 1:K identification over a synthetic gallery of random unit vectors (for the {@code bench} command). */
public final class MatcherBench {

    public record Result(int templates, int dimension, int probes, double microsPerIdentify) {
    }

    private MatcherBench() {
    }

    /** One template per person; {@code probes} searches are timed after as many untimed warm-up searches. */
    public static Result run(int templates, int dimension, int probes, long seed) {
        Random random = new Random(seed);
        String encoder = "bench-" + dimension;
        List<Person> people = new ArrayList<>(templates);
        List<Template> stored = new ArrayList<>(templates);
        Instant now = Instant.now();
        for (int i = 1; i <= templates; i++) {
            people.add(new Person(i, "person " + i, now, true));
            stored.add(new Template(i, i, randomUnit(random, dimension), encoder, "", 1.0, now));
        }
        Matcher matcher = new Matcher(new Calibration(encoder, -10, 5, 0.8, 1.2, 1e-3), people, stored);
        Embedding[] queries = new Embedding[probes];
        for (int i = 0; i < probes; i++) queries[i] = randomUnit(random, dimension);

        double checksum = 0;
        for (Embedding query : queries) checksum += matcher.identify(query).orElseThrow().best().distance();
        long start = System.nanoTime();
        for (Embedding query : queries) checksum += matcher.identify(query).orElseThrow().best().distance();
        long elapsed = System.nanoTime() - start;
        if (Double.isNaN(checksum)) throw new IllegalStateException("distances went NaN");
        return new Result(templates, dimension, probes, elapsed / 1e3 / probes);
    }

    private static Embedding randomUnit(Random random, int dimension) {
        float[] raw = new float[dimension];
        for (int i = 0; i < dimension; i++) raw[i] = (float) random.nextGaussian();
        return Embedding.normalised(raw);
    }
}
