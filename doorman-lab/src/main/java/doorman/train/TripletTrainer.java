package doorman.train;

import doorman.modeltool.LinearHead;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Learns a {@link LinearHead} (FC then L2 normalisation) from encoder embeddings with the triplet loss.
 *
 * <p>People with two or more images are split by person into training and validation; people with one image
 * can never be an anchor or a positive, so they only join training batches as extra negatives. The head starts
 * from PCA of the training images and is trained with Adam on batches of P people x K images. After every epoch
 * the head is scored on the validation pairs and the best one is kept; training stops after
 * {@code patience} epochs without improvement. Everything random follows the seed, and every per-row
 * computation is independent of the thread split, so a seed gives the same head on any thread count.
 */
public final class TripletTrainer {

    private static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

    private final TrainingOptions options;

    public TripletTrainer(TrainingOptions options) {
        this.options = options;
    }

    /**
     * @param embeddings encoder outputs, one row per image, all the same dimension
     * @param personIds  the person of each row
     * @param progress   called after every epoch; may be null
     * @throws IllegalArgumentException for unusable input, such as too few people with two images
     * @throws IllegalStateException    if training diverges (a NaN or infinite loss, gradient or weight)
     */
    public TrainingResult train(float[][] embeddings, int[] personIds, Consumer<EpochReport> progress) {
        int inDim = validate(embeddings, personIds);
        if (options.outDim() > inDim)
            throw new IllegalArgumentException("output dimension " + options.outDim() + " exceeds input " + inDim);
        Random random = new Random(options.seed());

        Map<Integer, List<Integer>> byPerson = new TreeMap<>();
        for (int i = 0; i < personIds.length; i++) byPerson.computeIfAbsent(personIds[i], k -> new ArrayList<>()).add(i);
        List<int[]> multi = new ArrayList<>();
        List<Integer> singles = new ArrayList<>();
        for (List<Integer> images : byPerson.values()) {
            if (images.size() >= 2) multi.add(images.stream().mapToInt(Integer::intValue).toArray());
            else singles.add(images.get(0));
        }
        int validationCount = Math.max(2, (int) Math.round(options.validationFraction() * multi.size()));
        if (multi.size() - validationCount < 2)
            throw new IllegalArgumentException("need at least " + (validationCount + 2)
                    + " people with two or more images (2 to train, " + validationCount + " to validate), got "
                    + multi.size());
        Collections.shuffle(multi, random);
        List<int[]> validationPeople = multi.subList(0, validationCount);
        List<int[]> trainPeople = new ArrayList<>(multi.subList(validationCount, multi.size()));

        int[] validationImages = validationPeople.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        VerificationPairs pairs = VerificationPairs.sample(personIds, validationImages,
                options.maxValidationPairs(), random.nextLong());

        List<float[]> trainRows = new ArrayList<>();
        for (int[] images : trainPeople) for (int i : images) trainRows.add(embeddings[i]);
        for (int i : singles) trainRows.add(embeddings[i]);
        LinearHead pca = PcaHead.fit(trainRows.toArray(new float[0][]), options.outDim());

        double[][] x = new double[embeddings.length][];
        for (int i = 0; i < embeddings.length; i++) x[i] = toDouble(embeddings[i]);

        try (RowRunner rows = new RowRunner(options.threads())) {
            Run run = new Run(pca, x, personIds, rows);
            double pcaAccuracy = run.validationAccuracy(embeddings, pairs);
            LinearHead best = pca;
            double bestAccuracy = pcaAccuracy;
            int bestEpoch = 0, sinceBest = 0;
            List<EpochReport> reports = new ArrayList<>();
            for (int epoch = 1; epoch <= options.epochs() && sinceBest < options.patience(); epoch++) {
                EpochReport report = run.epoch(epoch, trainPeople, singles, random, embeddings, pairs);
                reports.add(report);
                if (report.validationAccuracy() > bestAccuracy) {
                    bestAccuracy = report.validationAccuracy();
                    best = run.head();
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                if (progress != null) progress.accept(report);
            }
            return new TrainingResult(best, bestEpoch, bestAccuracy, pcaAccuracy, reports, trainPeople.size(),
                    singles.size(), validationPeople.size(), pairs.size(), reports.size() < options.epochs());
        }
    }

    /** The mutable state of one training run: parameters and Adam moments, all in double precision. */
    private final class Run {
        private final int inDim, outDim;
        private final double[] w, b, gradW, gradB, mW, vW, mB, vB;
        private final double[][] x;
        private final int[] personIds;
        private final TripletLoss loss;
        private int step;

        Run(LinearHead init, double[][] x, int[] personIds, RowRunner rows) {
            this.inDim = init.inDim();
            this.outDim = init.outDim();
            this.w = toDouble(init.weights());
            this.b = toDouble(init.bias());
            this.gradW = new double[w.length];
            this.gradB = new double[b.length];
            this.mW = new double[w.length];
            this.vW = new double[w.length];
            this.mB = new double[b.length];
            this.vB = new double[b.length];
            this.x = x;
            this.personIds = personIds;
            this.loss = new TripletLoss(inDim, outDim, options.mining(), options.alpha(), rows);
        }

        EpochReport epoch(int epoch, List<int[]> people, List<Integer> singles, Random random,
                          float[][] embeddings, VerificationPairs pairs) {
            Collections.shuffle(people, random);
            List<Integer> negatives = new ArrayList<>(singles);
            Collections.shuffle(negatives, random);
            int perBatch = Math.min(options.peoplePerBatch(), people.size());
            int batches = (people.size() + perBatch - 1) / perBatch;
            double lossSum = 0;
            long triplets = 0, active = 0;
            for (int batch = 0; batch < batches; batch++) {
                List<Integer> rows = new ArrayList<>();
                // wrap around so the last batch is full: a small batch gives poor hard negatives
                for (int k = 0; k < perBatch; k++)
                    pickImages(people.get((batch * perBatch + k) % people.size()), random, rows);
                for (int k = 0; k < Math.min(perBatch, negatives.size()); k++)
                    rows.add(negatives.get((batch * perBatch + k) % negatives.size()));
                double[][] bx = new double[rows.size()][];
                int[] labels = new int[rows.size()];
                for (int r = 0; r < bx.length; r++) {
                    bx[r] = x[rows.get(r)];
                    labels[r] = personIds[rows.get(r)];
                }
                TripletLoss.Result result = loss.compute(w, b, bx, labels, gradW, gradB);
                requireFinite(result.loss(), gradW, gradB, "loss or gradient", epoch, batch);
                adamStep();
                requireFinite(0, w, b, "weights", epoch, batch);
                lossSum += result.loss();
                triplets += result.triplets();
                active += result.active();
            }
            return new EpochReport(epoch, lossSum / batches, (double) active / triplets,
                    validationAccuracy(embeddings, pairs));
        }

        private void pickImages(int[] images, Random random, List<Integer> rows) {
            int[] pool = images.clone();
            int take = Math.min(options.imagesPerPerson(), pool.length);
            for (int i = 0; i < take; i++) {
                int j = i + random.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
                rows.add(pool[i]);
            }
        }

        private void adamStep() {
            step++;
            double lr = options.learningRate() * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
            adam(w, gradW, mW, vW, lr);
            adam(b, gradB, mB, vB, lr);
        }

        private void adam(double[] p, double[] g, double[] m, double[] v, double lr) {
            for (int i = 0; i < p.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                p[i] -= lr * m[i] / (Math.sqrt(v[i]) + EPSILON);
            }
        }

        LinearHead head() {
            return new LinearHead(toFloat(w), toFloat(b));
        }

        /** Scores the float head, as it will run on the device, rather than the double master weights. */
        double validationAccuracy(float[][] embeddings, VerificationPairs pairs) {
            LinearHead head = head();
            float[][] projected = new float[embeddings.length][];
            for (int i : pairs.first()) if (projected[i] == null) projected[i] = head.apply(embeddings[i]);
            for (int i : pairs.second()) if (projected[i] == null) projected[i] = head.apply(embeddings[i]);
            return pairs.accuracy(projected);
        }

        /** Finite here means representable as a float, since the head is stored and run in float. */
        private void requireFinite(double value, double[] a, double[] c, String what, int epoch, int batch) {
            boolean finite = Math.abs(value) <= Float.MAX_VALUE;
            for (int i = 0; finite && i < a.length; i++) finite = Math.abs(a[i]) <= Float.MAX_VALUE;
            for (int i = 0; finite && i < c.length; i++) finite = Math.abs(c[i]) <= Float.MAX_VALUE;
            if (!finite)
                throw new IllegalStateException("training diverged at epoch " + epoch + ", batch " + (batch + 1)
                        + ": the " + what + " became NaN or infinite; try a lower learning rate than "
                        + options.learningRate());
        }
    }

    private static int validate(float[][] embeddings, int[] personIds) {
        if (embeddings.length == 0) throw new IllegalArgumentException("no embeddings to train on");
        if (embeddings.length != personIds.length)
            throw new IllegalArgumentException(embeddings.length + " embeddings but " + personIds.length + " person ids");
        int dim = embeddings[0].length;
        for (int i = 0; i < embeddings.length; i++) {
            if (embeddings[i].length != dim)
                throw new IllegalArgumentException("embedding " + i + " has " + embeddings[i].length + " values, not " + dim);
            for (float v : embeddings[i])
                if (!Float.isFinite(v)) throw new IllegalArgumentException("embedding " + i + " contains " + v);
        }
        return dim;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
