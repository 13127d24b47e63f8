package doorman.embedding;

import doorman.TestData;
import doorman.models.ModelFiles;
import doorman.tflite.Backend;
import doorman.tflite.DjlTflite;
import doorman.tflite.TfliteOptions;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.ImageDecoder;
import doorman.camera.OpenCv;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Both TFLite backends give the same embedding for real, aligned faces. */
class BackendAgreementTest {

    @Test
    void javacppAndDjlAgreeOnRealFaces() {
        OpenCv.load();
        Path root = TestData.dataset("samples/johns");
        List<Path> photos = TestData.images(root.resolve(firstFolder(root)));
        Path encoderFile = TestData.model(ModelFiles.MOBILEFACENET);
        Path detectorFile = TestData.model(BlazeFaceDetector.Range.FULL.modelFile());
        FaceAligner aligner = new FaceAligner();
        int compared = 0;
        try (BlazeFaceDetector detector = new BlazeFaceDetector(Backend.JAVACPP.load(detectorFile, TfliteOptions.defaults()), BlazeFaceDetector.Range.FULL);
             FaceEncoder javacpp = new FaceEncoder(Backend.JAVACPP.load(encoderFile, TfliteOptions.defaults()), "m", false);
             FaceEncoder djl = new FaceEncoder(DjlTflite.BACKEND.load(encoderFile, TfliteOptions.defaults()), "m", false)) {
            for (Path photo : photos) {
                Mat bgr = ImageDecoder.read(photo);
                try {
                    List<Face> faces = detector.detect(bgr);
                    assertFalse(faces.isEmpty(), "no face in " + photo);
                    Mat aligned = aligner.align(bgr, faces.get(0));
                    try {
                        float[] a = javacpp.encode(aligned).values();
                        float[] b = djl.encode(aligned).values();
                        assertEquals(192, a.length);
                        for (int i = 0; i < a.length; i++)
                            assertEquals(a[i], b[i], 1e-4, photo + " dimension " + i);
                        compared++;
                    } finally {
                        aligned.release();
                    }
                } finally {
                    bgr.release();
                }
            }
        }
        assertTrue(compared >= 2, "compared only " + compared + " faces");
    }

    private static String firstFolder(Path root) {
        try (var dirs = java.nio.file.Files.list(root)) {
            return dirs.filter(java.nio.file.Files::isDirectory).map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
