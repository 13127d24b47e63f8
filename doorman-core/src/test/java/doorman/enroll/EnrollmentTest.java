package doorman.enroll;

import doorman.camera.OpenCv;
import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.match.Calibration;
import doorman.vision.Face;
import doorman.vision.Liveness;
import doorman.vision.QualityGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The enrollment rules with fake models: which checks run for a file and for a live capture, and what is stored. */
class EnrollmentTest {

    private static final String SPACE = "test-4d";
    private static final Calibration CALIBRATION = new Calibration(SPACE, -10, 5, 0.5, 1.2, 1e-3);
    private static final QualityGate ANY_FACE = new QualityGate(new QualityGate.Thresholds(0, 0, 10, -10, 10, 180, 0, 255));
    private static final Face FACE = new Face(10, 10, 40, 40, 0.9f, new float[]{20, 25, 40, 25, 30, 35, 30, 42, 12, 27, 48, 27});

    @TempDir
    Path data;
    private Gallery gallery;
    private int facesInPhoto = 1;
    private float[] embedding = {1, 0, 0, 0};
    private boolean live = true;
    private int livenessCalls;
    private final List<String> refusals = new ArrayList<>();

    @BeforeEach
    void open() {
        OpenCv.load();
        gallery = Gallery.open(data);
    }

    @AfterEach
    void close() {
        gallery.close();
    }

    private Enrollment enrollment() {
        Encoder encoder = new Encoder() {
            @Override
            public Embedding embed(Mat bgr, Face face) {
                return Embedding.normalised(embedding.clone());
            }

            @Override
            public String space() {
                return SPACE;
            }
        };
        return new Enrollment(bgr -> java.util.Collections.nCopies(facesInPhoto, FACE), encoder, ANY_FACE,
                (bgr, face) -> {
                    livenessCalls++;
                    return new Liveness(live ? 0.9 : 0.1, live, 0.5);
                }, CALIBRATION, refusals::add);
    }

    private static byte[] jpeg(int grey) {
        return solidJpeg(new Scalar(grey, grey, grey));
    }

    /** A 64x64 JPEG of one colour: a real photo file without a face in it. */
    static byte[] solidJpeg(Scalar bgr) {
        OpenCv.load();
        Mat image = new Mat(64, 64, CvType.CV_8UC3, bgr);
        try {
            return doorman.pictures.FacePictures.jpeg(image);
        } finally {
            image.release();
        }
    }

    @Test
    void aPhotoFileIsNotLivenessCheckedButACameraFrameIs() {
        live = false;
        Enrollment enrollment = enrollment();
        assertNotNull(enrollment.examine(jpeg(100)), "a file is not a presentation to the camera");
        assertEquals(0, livenessCalls);
        Mat frame = new Mat(64, 64, CvType.CV_8UC3, new Scalar(90, 90, 90));
        try {
            EnrollmentRefused refused = assertThrows(EnrollmentRefused.class, () -> enrollment.examineCapture(List.of(frame)));
            assertEquals("spoof", refused.reason());
            assertTrue(refused.getMessage().contains("printed photo or a screen"), refused.getMessage());
        } finally {
            frame.release();
        }
        assertEquals(1, livenessCalls);
        assertEquals(List.of("spoof"), refusals);
    }

    @Test
    void noFaceOrSeveralFacesAreRefusedWithTheReason() {
        Enrollment enrollment = enrollment();
        facesInPhoto = 0;
        assertEquals("no-face", assertThrows(EnrollmentRefused.class, () -> enrollment.examine(jpeg(100))).reason());
        facesInPhoto = 2;
        EnrollmentRefused several = assertThrows(EnrollmentRefused.class, () -> enrollment.examine(jpeg(100)));
        assertEquals("several-faces", several.reason());
        assertTrue(several.getMessage().startsWith("2 faces in the photo"), several.getMessage());
    }

    @Test
    void theSamePhotoIsStoredOnceAndAnotherPersonsLookAlikeIsWarnedAbout() {
        Enrollment enrollment = enrollment();
        Person alice = gallery.addPerson("Alice");
        Person bob = gallery.addPerson("Bob");
        Enrollment.Stored first = enrollment.store(gallery, alice.id(), List.of(enrollment.examine(jpeg(100))));
        assertEquals(1, first.added().size());
        assertTrue(first.warnings().isEmpty());

        Enrollment.Stored again = enrollment.store(gallery, alice.id(), List.of(enrollment.examine(jpeg(100))));
        assertTrue(again.added().isEmpty());
        assertEquals(1, again.duplicates().size());

        // a photo for Bob whose face is Alice's: stored (the owner decides) but flagged
        Enrollment.Stored lookAlike = enrollment.store(gallery, bob.id(), List.of(enrollment.examine(jpeg(140))));
        assertEquals(1, lookAlike.added().size());
        assertEquals(1, lookAlike.warnings().size());
        assertTrue(lookAlike.warnings().get(0).contains("looks like Alice"), lookAlike.warnings().get(0));

        embedding = new float[]{0, 1, 0, 0}; // a different face: no warning
        assertTrue(enrollment.store(gallery, bob.id(), List.of(enrollment.examine(jpeg(180)))).warnings().isEmpty());
    }
}
