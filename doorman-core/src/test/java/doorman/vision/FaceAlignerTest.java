package doorman.vision;

import doorman.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Aligns faces found in real photos and checks the crop by detecting the face again inside it. */
class FaceAlignerTest {

    private static final int[] USED = {Face.RIGHT_EYE, Face.LEFT_EYE, Face.NOSE, Face.MOUTH};

    private static BlazeFaceDetector full;
    private static BlazeFaceDetector shortRange;
    private final FaceAligner aligner = new FaceAligner();

    @BeforeAll
    static void loadModels() {
        full = BlazeFaceDetectorTest.open(BlazeFaceDetector.Range.FULL);
        shortRange = BlazeFaceDetectorTest.open(BlazeFaceDetector.Range.SHORT);
    }

    @AfterAll
    static void closeModels() {
        if (full != null) full.close();
        if (shortRange != null) shortRange.close();
    }

    /** Inverts a 2x3 similarity [a, -b, tx; b, a, ty] (its determinant is a^2 + b^2). */
    private static double[] invert(double[] m) {
        double det = m[0] * m[4] - m[1] * m[3];
        double a = m[4] / det, b = -m[1] / det, c = -m[3] / det, d = m[0] / det;
        return new double[] {a, b, -(a * m[2] + b * m[5]), c, d, -(c * m[2] + d * m[5])};
    }

    @Test
    void cropsPutTheEyesWhereTheTemplateSays() {
        String[] photos = {"samples/group-photos/2008_002506.jpg", "samples/bbt/_group_photos/bbt4.jpg",
                "lfw-train/AJ_Cook/AJ_Cook_0001.jpg", "samples/group-photos/Tom_Cruise_avp_2014_4.jpg"};
        double[] template = FaceAligner.template();
        for (String name : photos) {
            Mat image = ImageDecoder.read(TestData.dataset(name));
            try {
                for (Face face : full.detect(image).subList(0, 1)) {
                    double[] back = FaceAlignerTransformTest.apply(invert(FaceAligner.transform(face)), template);
                    double tolerance = 0.2 * face.eyeDistance();
                    for (int i = 0; i < USED.length; i++) {
                        assertEquals(face.keypointX(USED[i]), back[2 * i], tolerance, name + " keypoint " + USED[i]);
                        assertEquals(face.keypointY(USED[i]), back[2 * i + 1], tolerance, name + " keypoint " + USED[i]);
                    }
                    assertCropHasLevelEyesOnTemplate(image, face, name);
                }
            } finally {
                image.release();
            }
        }
    }

    private void assertCropHasLevelEyesOnTemplate(Mat image, Face face, String name) {
        Mat crop = aligner.align(image, face);
        try {
            assertEquals(FaceAligner.SIZE, crop.cols());
            assertEquals(FaceAligner.SIZE, crop.rows());
            assertEquals(CvType.CV_8UC3, crop.type());
            List<Face> again = shortRange.detect(crop);
            assertEquals(1, again.size(), name + ": no single face in the aligned crop");
            Face f = again.get(0);
            double[] t = FaceAligner.template();
            assertEquals(t[0], f.keypointX(Face.RIGHT_EYE), 6, name);
            assertEquals(t[1], f.keypointY(Face.RIGHT_EYE), 6, name);
            assertEquals(t[2], f.keypointX(Face.LEFT_EYE), 6, name);
            assertEquals(t[3], f.keypointY(Face.LEFT_EYE), 6, name);
            double tilt = Math.toDegrees(Math.atan2(f.keypointY(Face.LEFT_EYE) - f.keypointY(Face.RIGHT_EYE),
                    f.keypointX(Face.LEFT_EYE) - f.keypointX(Face.RIGHT_EYE)));
            assertTrue(Math.abs(tilt) < 6, name + ": eyes tilted by " + tilt + " degrees");
        } finally {
            crop.release();
        }
    }
}
