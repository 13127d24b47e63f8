package doorman.vision;

import doorman.TestData;
import doorman.tflite.JavacppTflite;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Path;
import java.util.List;

import static doorman.vision.BlazeFaceDetector.Range.FULL;
import static doorman.vision.BlazeFaceDetector.Range.SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real BlazeFace inference on real photos; skipped when the models or the shared datasets are absent. */
class BlazeFaceDetectorTest {

    private static final String[] BBT_PEOPLE =
            {"amy", "bernadette", "howard", "leonard", "penny", "raj", "sheldon", "stuart"};
    private static final String[] LFW_SINGLES = {"AJ_Cook/AJ_Cook_0001.jpg", "Aaron_Eckhart/Aaron_Eckhart_0001.jpg",
            "Aaron_Sorkin/Aaron_Sorkin_0001.jpg", "Abdoulaye_Wade/Abdoulaye_Wade_0001.jpg",
            "Adam_Sandler/Adam_Sandler_0001.jpg"};

    private static BlazeFaceDetector full;
    private static BlazeFaceDetector shortRange;

    @BeforeAll
    static void loadModels() {
        full = open(FULL);
        shortRange = open(SHORT);
    }

    @AfterAll
    static void closeModels() {
        if (full != null) full.close();
        if (shortRange != null) shortRange.close();
    }

    static BlazeFaceDetector open(BlazeFaceDetector.Range range) {
        TfliteModel model = JavacppTflite.load(TestData.model(range.modelFile()), TfliteOptions.defaults());
        return new BlazeFaceDetector(model, range, BlazeFaceDetector.DEFAULT_MIN_SCORE);
    }

    static List<Face> detect(BlazeFaceDetector detector, Path file) {
        Mat image = ImageDecoder.read(file);
        try {
            return detector.detect(image);
        } finally {
            image.release();
        }
    }

    /** An upright face: eyes side by side in the right order, above the nose, above the mouth, all in the box. */
    static void assertUprightFace(Face f, String where) {
        assertTrue(f.keypointX(Face.RIGHT_EYE) < f.keypointX(Face.LEFT_EYE), where + ": eye order");
        float lowerEye = Math.max(f.keypointY(Face.RIGHT_EYE), f.keypointY(Face.LEFT_EYE));
        assertTrue(lowerEye < f.keypointY(Face.NOSE), where + ": eyes above nose");
        assertTrue(f.keypointY(Face.NOSE) < f.keypointY(Face.MOUTH), where + ": nose above mouth");
        for (int k : new int[] {Face.RIGHT_EYE, Face.LEFT_EYE, Face.NOSE, Face.MOUTH}) {
            assertTrue(f.keypointX(k) >= f.x() && f.keypointX(k) <= f.x() + f.width()
                    && f.keypointY(k) >= f.y() && f.keypointY(k) <= f.y() + f.height(), where + ": keypoint " + k);
        }
        assertTrue(f.score() >= BlazeFaceDetector.DEFAULT_MIN_SCORE && f.score() <= 1, where + ": score");
    }

    static void assertLargestFirst(List<Face> faces, String where) {
        for (int i = 1; i < faces.size(); i++) {
            assertTrue(faces.get(i - 1).area() >= faces.get(i).area(), where + ": not sorted by size");
        }
    }

    @Test
    void tightPortraitsGiveExactlyOneUprightFaceWithBothRanges() {
        // these crops are nearly all face, as at a door; full range finds them only thanks to its margin
        for (BlazeFaceDetector detector : new BlazeFaceDetector[] {shortRange, full}) {
            for (String person : BBT_PEOPLE) {
                for (Path photo : TestData.images(TestData.dataset("samples/bbt/" + person))) {
                    List<Face> faces = detect(detector, photo);
                    assertEquals(1, faces.size(), detector.range() + " " + photo);
                    assertUprightFace(faces.get(0), photo.toString());
                }
            }
            for (String john : new String[] {"John_Salley", "John_Savage", "John_Schneider", "John_Shimkus", "John_Simm"}) {
                for (Path photo : TestData.images(TestData.dataset("samples/johns/" + john))) {
                    List<Face> faces = detect(detector, photo);
                    assertEquals(1, faces.size(), detector.range() + " " + photo);
                    assertUprightFace(faces.get(0), photo.toString());
                }
            }
        }
    }

    @Test
    void lfwPortraitsGiveOneCentredFaceWithBothRanges() {
        for (String name : LFW_SINGLES) {
            Path photo = TestData.dataset("lfw-train/" + name);
            for (BlazeFaceDetector detector : new BlazeFaceDetector[] {full, shortRange}) {
                List<Face> faces = detect(detector, photo);
                String where = detector.range() + " " + name;
                assertEquals(1, faces.size(), where);
                Face f = faces.get(0);
                assertUprightFace(f, where);
                // LFW centres the named person in the 250x250 frame
                assertEquals(125, f.keypointX(Face.NOSE), 25, where);
                assertEquals(125, f.keypointY(Face.NOSE), 25, where);
            }
        }
    }

    @Test
    void groupPhotosGiveSeveralFacesLargestFirst() {
        for (String folder : new String[] {"samples/group-photos", "samples/bbt/_group_photos"}) {
            for (Path photo : TestData.images(TestData.dataset(folder))) {
                if (photo.getFileName().toString().equals("dogs.jpg")) continue;
                if (photo.getFileName().toString().startsWith("Tom_Cruise")) continue; // a single portrait
                List<Face> faces = detect(full, photo);
                assertTrue(faces.size() >= 2, photo + " gave " + faces.size());
                assertLargestFirst(faces, photo.toString());
            }
        }
        assertEquals(7, detect(full, TestData.dataset("samples/group-photos/2007_007763.jpg")).size());
        assertEquals(19, detect(full, TestData.dataset("samples/group-photos/bald_guys.jpg")).size());
    }

    @Test
    void bothRangesFindTheSameSixFaces() {
        Path photo = TestData.dataset("samples/bbt/_group_photos/bbt4.jpg");
        List<Face> fromFull = detect(full, photo);
        List<Face> fromShort = detect(shortRange, photo);
        assertEquals(6, fromFull.size());
        assertEquals(6, fromShort.size());
        for (Face f : fromShort) {
            assertUprightFace(f, "short " + f);
            assertTrue(fromFull.stream().anyMatch(g -> WeightedNms.iou(f, g) > 0.5), "no full-range match for " + f);
        }
        fromFull.forEach(f -> assertUprightFace(f, "full " + f));
    }

    @Test
    void dogsAreNotFaces() {
        assertEquals(List.of(), detect(full, TestData.dataset("samples/group-photos/dogs.jpg")));
    }

    @Test
    void greyOrlPgmsDecodeAndDetect() {
        for (int person = 1; person <= 40; person++) {
            Path photo = TestData.dataset("orl/s" + person + "/2.pgm");
            List<Face> faces = detect(shortRange, photo);
            assertEquals(1, faces.size(), photo.toString());
            Face f = faces.get(0);
            assertTrue(f.keypointY(Face.RIGHT_EYE) < f.keypointY(Face.MOUTH), photo.toString());
            assertTrue(f.x() >= 0 && f.y() >= 0 && f.x() + f.width() <= 92 && f.y() + f.height() <= 112, photo.toString());
        }
    }

    @Test
    void coordinatesFollowTheFaceIntoALargerImage() {
        Mat portrait = ImageDecoder.read(TestData.dataset("lfw-train/" + LFW_SINGLES[0]));
        Mat canvas = new Mat(400, 900, CvType.CV_8UC3, new Scalar(90, 90, 90));
        Mat doubled = new Mat();
        try {
            Face alone = full.detect(portrait).get(0);
            portrait.copyTo(canvas.submat(new Rect(600, 120, 250, 250)));
            List<Face> onCanvas = full.detect(canvas);
            assertEquals(1, onCanvas.size());
            // the canvas is squeezed 3.6x more into the model input, so allow a few input pixels of drift
            assertShifted(alone, onCanvas.get(0), 600, 120, 1, 0.12f * alone.width());

            Imgproc.resize(portrait, doubled, new Size(500, 500), 0, 0, Imgproc.INTER_LINEAR);
            List<Face> large = full.detect(doubled);
            assertEquals(1, large.size());
            assertShifted(alone, large.get(0), 0, 0, 2, 0.05f * 2 * alone.width());
        } finally {
            portrait.release();
            canvas.release();
            doubled.release();
        }
    }

    private static void assertShifted(Face original, Face moved, float dx, float dy, float scale, float tolerance) {
        assertEquals(original.x() * scale + dx, moved.x(), tolerance, "x");
        assertEquals(original.y() * scale + dy, moved.y(), tolerance, "y");
        assertEquals(original.width() * scale, moved.width(), tolerance, "width");
        // the ear points are the model's least steady outputs, and alignment does not use them
        for (int k : new int[] {Face.RIGHT_EYE, Face.LEFT_EYE, Face.NOSE, Face.MOUTH}) {
            assertEquals(original.keypointX(k) * scale + dx, moved.keypointX(k), tolerance, "keypoint x " + k);
            assertEquals(original.keypointY(k) * scale + dy, moved.keypointY(k), tolerance, "keypoint y " + k);
        }
    }

    @Test
    void repeatedCallsReuseTheBufferWithoutChangingTheResult() {
        Mat image = ImageDecoder.read(TestData.dataset("samples/bbt/_group_photos/bbt3.jpg"));
        Mat other = ImageDecoder.read(TestData.dataset("lfw-train/" + LFW_SINGLES[1]));
        try {
            List<Face> first = full.detect(image);
            full.detect(other);
            List<Face> again = full.detect(image);
            assertEquals(first.size(), again.size());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).x(), again.get(i).x(), 1e-4);
                assertEquals(first.get(i).score(), again.get(i).score(), 1e-6);
                assertArrayEquals(first.get(i).keypoints(), again.get(i).keypoints(), 1e-4f);
            }
        } finally {
            image.release();
            other.release();
        }
    }

    @Test
    void aModelOfTheOtherRangeIsRejectedAndClosed() {
        TfliteModel fullModel = JavacppTflite.load(TestData.model(FULL.modelFile()), TfliteOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BlazeFaceDetector(fullModel, SHORT, 0.5f));
        assertTrue(e.getMessage().startsWith("not a BlazeFace SHORT-range model: input shape [1, 192, 192, 3]"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> fullModel.run(new float[192 * 192 * 3]));
    }

    @Test
    void nonBgrInputIsRejected() {
        Mat grey = new Mat(100, 100, CvType.CV_8UC1, Scalar.all(128));
        Mat empty = new Mat();
        try {
            assertThrows(IllegalArgumentException.class, () -> full.detect(grey));
            assertThrows(IllegalArgumentException.class, () -> full.detect(empty));
        } finally {
            grey.release();
            empty.release();
        }
    }

    @Test
    void blankImageHasNoFaces() {
        Mat blank = new Mat(480, 640, CvType.CV_8UC3, Scalar.all(0));
        try {
            Core.randu(blank, 0, 255);
            assertEquals(List.of(), full.detect(blank));
            assertEquals(List.of(), shortRange.detect(blank));
        } finally {
            blank.release();
        }
    }
}
