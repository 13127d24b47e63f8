package doorman.train;

import doorman.modeltool.LinearHead;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opt-in check on real encoder embeddings: {@code -Ddoorman.train.embeddings=<EmbeddingCache file>}.
 * Holds out a fifth of the people, trains on the rest with the default options and compares the head with
 * PCA and a random projection on the held-out people. Skipped otherwise: on a whole dataset it takes a minute.
 */
class RealEmbeddingsCheckTest {

    @Test
    void trainedHeadMatchesOrBeatsPcaOnHeldOutPeople() throws IOException {
        String property = System.getProperty("doorman.train.embeddings");
        Assumptions.assumeTrue(property != null && Files.isRegularFile(Path.of(property)),
                "no real embeddings given, skipping (set -Ddoorman.train.embeddings=<embedding cache file>)");
        EmbeddingCache cache = EmbeddingCache.load(Path.of(property));
        float[][] x = cache.embeddings();
        int[] ids = cache.personIds();

        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int id : ids) counts.merge(id, 1, Integer::sum);
        List<Integer> multi = new ArrayList<>();
        counts.forEach((id, n) -> {
            if (n >= 2) multi.add(id);
        });
        Collections.shuffle(multi, new Random(99));
        Set<Integer> heldOut = new HashSet<>(multi.subList(0, multi.size() / 5));
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) (heldOut.contains(ids[i]) ? test : train).add(i);
        float[][] trainX = train.stream().map(i -> x[i]).toArray(float[][]::new);
        int[] trainIds = train.stream().mapToInt(i -> ids[i]).toArray();
        VerificationPairs pairs = VerificationPairs.sample(ids, test.stream().mapToInt(Integer::intValue).toArray(), 5000, 7);

        TrainingResult result = new TripletTrainer(TrainingOptions.defaults()).train(trainX, trainIds,
                e -> System.out.printf("epoch %d: loss %.4f, active %.3f, validation %.4f%n",
                        e.epoch(), e.trainLoss(), e.activeFraction(), e.validationAccuracy()));
        double trained = accuracy(result.head(), x, pairs);
        double pca = accuracy(PcaHead.fit(trainX, 128), x, pairs);
        double random = accuracy(SyntheticFaces.randomProjection(x[0].length, 128, 5), x, pairs);
        System.out.printf("%d images, %d held-out people, %d pairs: raw %.4f, random %.4f, PCA %.4f, trained %.4f "
                        + "(best epoch %d)%n", x.length, heldOut.size(), pairs.size(), pairs.accuracy(x), random, pca, trained,
                result.bestEpoch());
        // one pair is 1/pairs of accuracy; allow a few pairs of noise either way
        assertTrue(trained >= pca - 5.0 / pairs.size(), "trained " + trained + " vs PCA " + pca);
        assertTrue(trained > random, "trained " + trained + " vs random " + random);
    }

    private static double accuracy(LinearHead head, float[][] x, VerificationPairs pairs) {
        float[][] projected = new float[x.length][];
        for (int i = 0; i < x.length; i++) projected[i] = head.apply(x[i]);
        return pairs.accuracy(projected);
    }
}
