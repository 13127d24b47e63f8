package doorman.embedding;

import doorman.vision.Face;
import org.opencv.core.Mat;

/** Turns a detected face into an embedding. The door aligns and runs MobileFaceNet; tests of the loop use fakes. */
public interface Encoder {

    /** The face's L2-normalised embedding. */
    Embedding embed(Mat bgr, Face face);

    /** The embedding space's name, stored with templates so spaces never mix. */
    String space();
}
