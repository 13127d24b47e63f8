package doorman.embedding;

import doorman.TestData;
import doorman.modeltool.DeriveModels;
import doorman.models.ModelFiles;
import doorman.tflite.Backend;
import doorman.tflite.DjlTflite;
import doorman.tflite.TfliteOptions;
import doorman.modeltool.LinearHead;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.ImageDecoder;
import doorman.camera.OpenCv;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The 128-d encoder the build derives equals MobileFaceNet plus the committed head applied in Java, on both backends. */
class ShippedEncoderTest {

    @Test
    void derivedEncoderEqualsBasePlusJavaHeadOnRealFaces() throws IOException {
        OpenCv.load();
        Path headFile = Path.of("models", DeriveModels.HEAD_128);
        LinearHead head = LinearHead.load(headFile);
        Path encoderFile = TestData.model(ModelFiles.ENCODER_128);
        Path baseFile = TestData.model(ModelFiles.MOBILEFACENET);
        List<Path> photos = TestData.images(TestData.dataset("samples/johns/John_Savage"));
        FaceAligner aligner = new FaceAligner();
        try (BlazeFaceDetector detector = new BlazeFaceDetector(Backend.JAVACPP.load(TestData.model(BlazeFaceDetector.Range.FULL.modelFile()),
                TfliteOptions.defaults()), BlazeFaceDetector.Range.FULL)) {
            for (Backend backend : List.of(Backend.JAVACPP, DjlTflite.BACKEND)) {
                try (FaceEncoder base = new FaceEncoder(backend.load(baseFile, TfliteOptions.defaults()), "base", false);
                     FaceEncoder shipped = new FaceEncoder(backend.load(encoderFile, TfliteOptions.defaults()), "shipped", false)) {
                    assertEquals(128, shipped.dimension());
                    for (Path photo : photos) {
                        Mat bgr = ImageDecoder.read(photo);
                        try {
                            List<Face> faces = detector.detect(bgr);
                            Mat aligned = aligner.align(bgr, faces.get(0));
                            try {
                                // the base's output is normalised by FaceEncoder; the head's L2 step makes that irrelevant
                                float[] expected = Embedding.normalised(head.apply(base.encode(aligned).values())).values();
                                float[] actual = shipped.encode(aligned).values();
                                for (int i = 0; i < 128; i++)
                                    assertEquals(expected[i], actual[i], 1e-5, backend + " " + photo + " dimension " + i);
                            } finally {
                                aligned.release();
                            }
                        } finally {
                            bgr.release();
                        }
                    }
                }
            }
        }
    }
}
