package doorman.train;

import doorman.modeltool.LinearHead;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TripletTrainerTest {

    private static final SyntheticFaces FACES = SyntheticFaces.realistic();

    @Test
    void learnedHeadBeatsRandomProjectionAndPcaOnUnseenPeople() {
        SyntheticFaces.Data train = FACES.generate(200, 8, 1);
        SyntheticFaces.Data test = FACES.generate(150, 8, 2);
        VerificationPairs pairs = VerificationPairs.sample(test.personIds(), all(test), 3000, 3);

        TrainingOptions options = TrainingOptions.defaults().withBatch(16, 4).withEpochs(15).withPatience(5)
                .withLearningRate(3e-3);
        List<EpochReport> reports = new ArrayList<>();
        TrainingResult result = new TripletTrainer(options).train(train.embeddings(), train.personIds(), reports::add);

        double trained = accuracy(result.head(), test, pairs);
        double pca = accuracy(PcaHead.fit(train.embeddings(), 128), test, pairs);
        double random = accuracy(SyntheticFaces.randomProjection(192, 128, 5), test, pairs);
        System.out.printf("synthetic 192->128, %d unseen people, %d pairs: random %.4f, PCA %.4f, trained %.4f "
                        + "(validation: PCA %.4f, best %.4f at epoch %d of %d)%n",
                150, pairs.size(), random, pca, trained, result.pcaValidationAccuracy(), result.validationAccuracy(),
                result.bestEpoch(), result.epochs().size());

        assertEquals(128, result.head().outDim());
        assertEquals(192, result.head().inDim());
        assertTrue(trained > random + 0.05, "trained " + trained + " vs random projection " + random);
        assertTrue(trained > pca, "trained " + trained + " vs PCA " + pca);
        assertTrue(result.bestEpoch() > 0, "training should improve on its PCA start");
        assertTrue(result.validationAccuracy() > result.pcaValidationAccuracy());

        assertEquals(result.epochs(), reports, "one progress report per epoch, the same ones as in the result");
        for (int i = 0; i < reports.size(); i++) {
            EpochReport r = reports.get(i);
            assertEquals(i + 1, r.epoch());
            assertTrue(r.trainLoss() >= 0 && r.activeFraction() >= 0 && r.activeFraction() <= 1, r.toString());
        }
        assertTrue(reports.get(0).activeFraction() > reports.get(reports.size() - 1).activeFraction(),
                "fewer triplets violate the margin as training goes on");
        assertTrue(result.singleImagePeople() > 0, "the synthetic set has single-image people, used as negatives");
    }

    @Test
    void sameSeedGivesTheSameHeadOnAnyThreadCount() {
        SyntheticFaces.Data data = FACES.generate(60, 6, 11);
        TrainingOptions options = TrainingOptions.defaults().withBatch(8, 3).withEpochs(3).withOutDim(32)
                .withMining(Mining.SEMI_HARD);
        TrainingResult first = new TripletTrainer(options).train(data.embeddings(), data.personIds(), null);
        TrainingResult again = new TripletTrainer(options).train(data.embeddings(), data.personIds(), null);
        TrainingResult threaded = new TripletTrainer(options.withThreads(2)).train(data.embeddings(), data.personIds(), null);
        TrainingResult otherSeed = new TripletTrainer(options.withSeed(2)).train(data.embeddings(), data.personIds(), null);

        assertEquals(first.head(), again.head());
        assertEquals(first.epochs(), again.epochs());
        assertEquals(first.head(), threaded.head());
        assertEquals(first.epochs(), threaded.epochs());
        assertNotEquals(first.head(), otherSeed.head());
    }

    @Test
    void divergenceStopsWithAClearMessageInsteadOfProducingNaN() {
        SyntheticFaces.Data data = FACES.generate(30, 4, 5);
        TrainingOptions options = TrainingOptions.defaults().withBatch(8, 2).withEpochs(2).withOutDim(16)
                .withLearningRate(1e300);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TripletTrainer(options).train(data.embeddings(), data.personIds(), null));
        assertTrue(e.getMessage().contains("diverged at epoch 1, batch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }

    @Test
    void tooFewPeopleWithTwoImagesIsRefused() {
        // three people with two images and twenty with one: two must be held out, leaving one to train on
        java.util.Random random = new java.util.Random(3);
        float[][] x = new float[26][8];
        int[] ids = new int[26];
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < 8; d++) x[i][d] = (float) random.nextGaussian();
            ids[i] = i < 6 ? i / 2 : i;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TripletTrainer(TrainingOptions.defaults().withOutDim(4)).train(x, ids, null));
        assertTrue(e.getMessage().contains("need at least 4 people with two or more images"), e.getMessage());
    }

    @Test
    void badInputIsRefused() {
        TripletTrainer trainer = new TripletTrainer(TrainingOptions.defaults().withOutDim(2));
        float[][] x = {{1, 0, 0}, {0, 1, 0}, {Float.NaN, 0, 0}};
        assertThrows(IllegalArgumentException.class, () -> trainer.train(x, new int[]{0, 0, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> trainer.train(new float[][]{{1, 0}}, new int[]{0, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.defaults().withBatch(1, 4));
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.defaults().withLearningRate(Double.NaN));
    }

    private static int[] all(SyntheticFaces.Data data) {
        int[] indices = new int[data.personIds().length];
        for (int i = 0; i < indices.length; i++) indices[i] = i;
        return indices;
    }

    private static double accuracy(LinearHead head, SyntheticFaces.Data data, VerificationPairs pairs) {
        float[][] projected = new float[data.embeddings().length][];
        for (int i = 0; i < projected.length; i++) projected[i] = head.apply(data.embeddings()[i]);
        return pairs.accuracy(projected);
    }
}
