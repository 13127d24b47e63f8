package doorman.enroll;

import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.gallery.Gallery;
import doorman.gallery.Template;
import doorman.match.Calibration;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.QualityGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Enrollment keeps the aligned face as the template's thumbnail, unless the config says to keep no pictures. */
class EnrollmentThumbnailTest {

    private static final Calibration CALIBRATION = new Calibration("test-4d", -10, 5, 0.5, 1.2, 1e-3);
    private static final QualityGate ANY_FACE = new QualityGate(new QualityGate.Thresholds(0, 0, 10, -10, 10, 180, 0, 255));
    private static final Face FACE = new Face(10, 10, 40, 40, 0.9f, new float[]{20, 25, 40, 25, 30, 35, 30, 42, 12, 27, 48, 27});

    @TempDir
    Path data;

    private static Enrollment enrollment(boolean thumbnails) {
        Encoder encoder = new Encoder() {
            @Override
            public Embedding embed(Mat bgr, Face face) {
                return Embedding.normalised(new float[]{1, 0, 0, 0});
            }

            @Override
            public String space() {
                return "test-4d";
            }
        };
        return new Enrollment(bgr -> List.of(FACE), encoder, ANY_FACE, null, CALIBRATION, reason -> { }, thumbnails);
    }

    private static byte[] photo() {
        return EnrollmentTest.solidJpeg(new Scalar(60, 120, 180));
    }

    @Test
    void theAlignedFaceIsKeptAsTheThumbnail() {
        try (Gallery gallery = Gallery.open(data)) {
            Enrollment enrollment = enrollment(true);
            Template t = enrollment.enroll(gallery, "Ada", List.of(enrollment.examine(photo()))).added().get(0);
            byte[] jpeg = gallery.thumbnail(t.id()).orElseThrow();
            Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
            try {
                assertEquals(FaceAligner.SIZE, decoded.cols());
                assertEquals(FaceAligner.SIZE, decoded.rows());
            } finally {
                decoded.release();
            }
        }
    }

    @Test
    void withThumbnailsOffNoPictureIsMadeOrKept() {
        try (Gallery gallery = Gallery.open(data)) {
            Enrollment enrollment = enrollment(false);
            Enrollment.Candidate candidate = enrollment.examine(photo());
            assertNull(candidate.thumbnail());
            Template t = enrollment.enroll(gallery, "Ada", List.of(candidate)).added().get(0);
            assertTrue(gallery.thumbnail(t.id()).isEmpty());
            assertTrue(gallery.templatesWithThumbnails().isEmpty());
        }
    }
}
