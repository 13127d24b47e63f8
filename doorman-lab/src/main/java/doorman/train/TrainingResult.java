package doorman.train;

import doorman.modeltool.LinearHead;
import java.util.List;

/**
 * What {@link TripletTrainer#train} produced.
 *
 * @param head                  the head with the best validation accuracy (the PCA start if no epoch beat it)
 * @param bestEpoch             the epoch that produced {@code head}; 0 means the PCA initialisation
 * @param validationAccuracy    validation accuracy of {@code head}
 * @param pcaValidationAccuracy validation accuracy of the PCA initialisation, the baseline to beat
 * @param epochs                one report per epoch run, in order
 * @param trainPeople           people with two or more images used as anchors
 * @param singleImagePeople     people with one image, used only as negatives
 * @param validationPeople      people held out
 * @param validationPairs       genuine plus impostor validation pairs
 * @param stoppedEarly          true when training ran out of patience before the last epoch
 */
public record TrainingResult(LinearHead head, int bestEpoch, double validationAccuracy,
                             double pcaValidationAccuracy, List<EpochReport> epochs, int trainPeople,
                             int singleImagePeople, int validationPeople, int validationPairs,
                             boolean stoppedEarly) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
