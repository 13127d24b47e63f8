package doorman.vision;

import org.opencv.core.Mat;

import java.util.List;

/** Finds faces in a frame. The door uses BlazeFace (through {@code FacePipeline}); tests of the loop use fakes. */
public interface Detector {

    /** Faces in the image's pixel coordinates, largest first; empty when there is none. */
    List<Face> detect(Mat bgr);
}
