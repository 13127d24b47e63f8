package doorman.train;

import doorman.embedding.Embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Labelled pairs of images for a verification test: every genuine pair (two images of one person) up to a
 * cap, drawn uniformly when capped, and as many random impostor pairs (two different people).
 * Indices refer to the caller's embedding array.
 */
public record VerificationPairs(int[] first, int[] second, boolean[] genuine) {

    public VerificationPairs {
        if (first.length != second.length || first.length != genuine.length)
            throw new IllegalArgumentException("pair arrays differ in length");
        first = first.clone();
        second = second.clone();
        genuine = genuine.clone();
    }

    /**
     * Pairs among the images {@code subset} (indices into {@code personIds}).
     *
     * @param maxGenuine cap on genuine pairs; the same number of impostor pairs is drawn
     */
    public static VerificationPairs sample(int[] personIds, int[] subset, int maxGenuine, long seed) {
        if (maxGenuine < 1) throw new IllegalArgumentException("need at least one pair, got cap " + maxGenuine);
        Map<Integer, List<Integer>> byPerson = new TreeMap<>();
        for (int image : subset) byPerson.computeIfAbsent(personIds[image], k -> new ArrayList<>()).add(image);
        if (byPerson.size() < 2) throw new IllegalArgumentException("verification pairs need at least two people");
        Random random = new Random(seed);

        // reservoir sampling keeps a uniform sample of all genuine pairs without listing them all
        int[] gFirst = new int[maxGenuine], gSecond = new int[maxGenuine];
        long seen = 0;
        for (List<Integer> images : byPerson.values()) {
            for (int i = 0; i < images.size(); i++)
                for (int j = i + 1; j < images.size(); j++) {
                    long slot = seen < maxGenuine ? seen : (long) (random.nextDouble() * (seen + 1));
                    if (slot < maxGenuine) {
                        gFirst[(int) slot] = images.get(i);
                        gSecond[(int) slot] = images.get(j);
                    }
                    seen++;
                }
        }
        if (seen == 0) throw new IllegalArgumentException("no person in the subset has two images");
        int genuineCount = (int) Math.min(seen, maxGenuine);

        int total = 2 * genuineCount;
        int[] first = new int[total], second = new int[total];
        boolean[] genuine = new boolean[total];
        System.arraycopy(gFirst, 0, first, 0, genuineCount);
        System.arraycopy(gSecond, 0, second, 0, genuineCount);
        Arrays.fill(genuine, 0, genuineCount, true);
        for (int k = genuineCount; k < total; k++) {
            int a, b;
            do {
                a = subset[random.nextInt(subset.length)];
                b = subset[random.nextInt(subset.length)];
            } while (personIds[a] == personIds[b]);
            first[k] = a;
            second[k] = b;
        }
        return new VerificationPairs(first, second, genuine);
    }

    public int size() {
        return first.length;
    }

    /** Squared distances of every pair, in pair order. */
    public double[] distances(float[][] embeddings) {
        double[] d = new double[first.length];
        for (int k = 0; k < d.length; k++) d[k] = Embedding.squaredDistance(embeddings[first[k]], embeddings[second[k]]);
        return d;
    }

    /** Verification accuracy at the best threshold, with {@code embeddings} indexed like the pairs. */
    public double accuracy(float[][] embeddings) {
        return bestThresholdAccuracy(distances(embeddings), genuine);
    }

    /**
     * The highest share of correct decisions over all thresholds t, deciding "same" when distance <= t.
     * Tied distances move together, so the accuracy is one a real threshold achieves.
     */
    public static double bestThresholdAccuracy(double[] distances, boolean[] genuine) {
        int n = distances.length;
        if (n == 0 || genuine.length != n) throw new IllegalArgumentException("need matching, non-empty arrays");
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(distances[x], distances[y]));
        int correct = 0;
        for (boolean g : genuine) if (!g) correct++;
        int best = correct;
        for (int k = 0; k < n; ) {
            double d = distances[order[k]];
            for (; k < n && distances[order[k]] == d; k++) correct += genuine[order[k]] ? 1 : -1;
            best = Math.max(best, correct);
        }
        return (double) best / n;
    }

    @Override
    public int[] first() {
        return first.clone();
    }

    @Override
    public int[] second() {
        return second.clone();
    }

    @Override
    public boolean[] genuine() {
        return genuine.clone();
    }
}
