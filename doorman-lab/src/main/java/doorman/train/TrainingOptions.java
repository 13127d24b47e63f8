package doorman.train;

/**
 * Settings of {@link TripletTrainer}.
 *
 * @param outDim             size of the learned embedding (128 for the daemon)
 * @param alpha              triplet margin, in squared distance between unit vectors (0..4)
 * @param learningRate       Adam step size
 * @param epochs             at most this many passes over the training people
 * @param peoplePerBatch     P: people in each batch (plus up to P single-image people as extra negatives)
 * @param imagesPerPerson    K: images drawn per person (fewer if the person has fewer)
 * @param mining             how triplets are picked inside a batch
 * @param seed               fixes the split, the batches and the validation pairs: same seed, same head
 * @param validationFraction share of the people with two or more images held out for validation
 * @param patience           stop after this many epochs without a better validation accuracy
 * @param maxValidationPairs cap on genuine validation pairs (as many impostor pairs are drawn)
 * @param threads            worker threads; the result does not depend on it
 */
public record TrainingOptions(int outDim, double alpha, double learningRate, int epochs, int peoplePerBatch,
                              int imagesPerPerson, Mining mining, long seed, double validationFraction,
                              int patience, int maxValidationPairs, int threads) {

    public TrainingOptions {
        require(outDim >= 1, "output dimension must be at least 1, got " + outDim);
        require(alpha > 0 && alpha < 4, "alpha must be in (0, 4), got " + alpha);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(peoplePerBatch >= 2, "need at least 2 people per batch, got " + peoplePerBatch);
        require(imagesPerPerson >= 2, "need at least 2 images per person, got " + imagesPerPerson);
        require(mining != null, "mining must be set");
        require(validationFraction > 0 && validationFraction < 1,
                "validation fraction must be in (0, 1), got " + validationFraction);
        require(patience >= 1, "patience must be at least 1, got " + patience);
        require(maxValidationPairs >= 1, "need at least 1 validation pair, got " + maxValidationPairs);
        require(threads >= 1, "threads must be at least 1, got " + threads);
    }

    public static TrainingOptions defaults() {
        return new TrainingOptions(128, 0.2, 1e-3, 100, 32, 4, Mining.BATCH_HARD, 1, 0.2, 10, 5000, 1);
    }

    public TrainingOptions withOutDim(int v) {
        return new TrainingOptions(v, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withAlpha(double v) {
        return new TrainingOptions(outDim, v, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withLearningRate(double v) {
        return new TrainingOptions(outDim, alpha, v, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withEpochs(int v) {
        return new TrainingOptions(outDim, alpha, learningRate, v, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withBatch(int people, int imagesEach) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, people, imagesEach, mining, seed,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withMining(Mining v) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, v, seed,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, v,
                validationFraction, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withValidationFraction(double v) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                v, patience, maxValidationPairs, threads);
    }

    public TrainingOptions withPatience(int v) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, v, maxValidationPairs, threads);
    }

    public TrainingOptions withMaxValidationPairs(int v) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, patience, v, threads);
    }

    public TrainingOptions withThreads(int v) {
        return new TrainingOptions(outDim, alpha, learningRate, epochs, peoplePerBatch, imagesPerPerson, mining, seed,
                validationFraction, patience, maxValidationPairs, v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
