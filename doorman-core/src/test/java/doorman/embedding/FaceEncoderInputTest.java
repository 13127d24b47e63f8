package doorman.embedding;

import doorman.TestData;
import doorman.models.ModelFiles;
import doorman.tflite.Backend;
import doorman.tflite.TfliteOptions;
import doorman.camera.OpenCv;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import static org.junit.jupiter.api.Assertions.*;

/** The input variants are distinct embedding spaces: their names differ, and so do their embeddings. */
class FaceEncoderInputTest {

    @Test
    void inputFormatsNameTheirSpaceAndChangeTheEmbedding() {
        OpenCv.load();
        java.nio.file.Path model = TestData.model(ModelFiles.MOBILEFACENET);
        Mat face = new Mat(FaceEncoder.SIZE, FaceEncoder.SIZE, CvType.CV_8UC3, new Scalar(40, 120, 200));
        try (FaceEncoder rgb = new FaceEncoder(Backend.JAVACPP.load(model, TfliteOptions.defaults()), "m", false);
             FaceEncoder bgr = new FaceEncoder(Backend.JAVACPP.load(model, TfliteOptions.defaults()), "m", false,
                     FaceEncoder.Input.BGR_CENTRED);
             FaceEncoder unit = new FaceEncoder(Backend.JAVACPP.load(model, TfliteOptions.defaults()), "m", true,
                     FaceEncoder.Input.RGB_UNIT)) {
            assertEquals("m", rgb.name());
            assertEquals("m+bgr_centred", bgr.name());
            assertEquals("m+rgb_unit+flip", unit.name());
            // a face whose blue and red channels differ: swapping them must change what the network sees
            assertTrue(rgb.encode(face).distance(bgr.encode(face)) > 1e-3);
            assertTrue(rgb.encode(face).distance(unit.encode(face)) > 1e-3);
        } finally {
            face.release();
        }
    }
}
