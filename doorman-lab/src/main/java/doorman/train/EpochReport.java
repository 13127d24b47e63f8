package doorman.train;

/**
 * Progress after one epoch of {@link TripletTrainer}.
 *
 * @param trainLoss          mean triplet loss over the epoch's batches
 * @param activeFraction     share of mined triplets that violated the margin (the ones that teach anything)
 * @param validationAccuracy verification accuracy at the best threshold on the held-out people
 */
public record EpochReport(int epoch, double trainLoss, double activeFraction, double validationAccuracy) {
}
