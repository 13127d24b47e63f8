package doorman.train;

/** How a batch of P people x K images is turned into triplets. */
public enum Mining {
    /** Each anchor with its farthest positive and its nearest negative in the batch (Hermans et al. 2017). */
    BATCH_HARD,
    /**
     * Each anchor-positive pair with the nearest negative that is still farther than the positive
     * (FaceNet's semi-hard negative); when no negative is farther, the farthest negative, as a gentle fallback.
     */
    SEMI_HARD
}
