package doorman.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Two face images and whether they show the same person. {@code fold} says which cross-validation
 * set the pair belongs to; a file without folds puts every pair in fold 0.
 */
public record FacePair(Path first, Path second, boolean same, int fold) {

    public FacePair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (fold < 0) throw new IllegalArgumentException("fold must be >= 0, got " + fold);
    }
}
