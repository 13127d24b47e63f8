package doorman.http;

import doorman.embedding.Embedding;
import doorman.enroll.Enrollment;
import doorman.enroll.EnrollmentRefused;
import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.vision.LivenessModel;
import doorman.metrics.Metrics;
import doorman.pipeline.FacePipeline;
import doorman.vision.Face;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import doorman.vision.QualityGate;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.UnprocessableContentResponse;
import org.opencv.core.Mat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Photos to embeddings for the API, one request at a time: the pipeline owns single-threaded TFLite
 * interpreters, and one decode at a time also bounds the memory a burst of uploads can take.
 * Refusals are 4xx with a reason a person can act on.
 */
final class FaceAnalysis {

    /** One face of a photo with its embedding. */
    record Probe(Face face, Embedding embedding, int facesInImage) {
    }

    private final FacePipeline pipeline;
    private final Enrollment enrollment;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();

    /** {@code liveness} is null when the configuration turns the spoof check off. */
    FaceAnalysis(FacePipeline pipeline, QualityGate quality, LivenessModel liveness, Calibration calibration, Metrics metrics) {
        this(pipeline, quality, liveness, calibration, metrics, true);
    }

    /** {@code thumbnails}: whether an enrolled face keeps a thumbnail with its template. */
    FaceAnalysis(FacePipeline pipeline, QualityGate quality, LivenessModel liveness, Calibration calibration, Metrics metrics,
                 boolean thumbnails) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.enrollment = new Enrollment(pipeline, pipeline, quality, liveness, calibration, reason -> metrics
                .counter("doorman_enrollments_refused_total", "Enrollment photos refused, by reason.", "reason").inc(reason), thumbnails);
    }

    String encoder() {
        return pipeline.encoderName();
    }

    /** The one face of an uploaded photo, if it passes the enrollment gate (a file is not liveness-checked). */
    Enrollment.Candidate enrollable(byte[] photo) {
        return locked(() -> {
            long start = System.nanoTime();
            try {
                return enrollment.examine(photo);
            } catch (ImageException e) {
                throw new BadRequestResponse("unusable image: " + e.getMessage());
            } catch (EnrollmentRefused e) {
                throw new UnprocessableContentResponse(e.getMessage());
            } finally {
                stage("enroll", start);
            }
        });
    }

    /** As {@link #enrollable(byte[])} for frames of the door camera, each of which is liveness-checked. */
    Enrollment.Candidate enrollable(List<Mat> frames) {
        return locked(() -> {
            try {
                return enrollment.examineCapture(frames);
            } catch (EnrollmentRefused e) {
                throw new UnprocessableContentResponse(e.getMessage());
            }
        });
    }

    /** Stores an examined face; the caller holds the person's lock. */
    Enrollment.Stored store(Gallery gallery, long personId, Enrollment.Candidate candidate) {
        return enrollment.store(gallery, personId, List.of(candidate));
    }

    /** The largest face of a photo; 422 when there is none. */
    Probe largestFace(byte[] photo, String what) {
        return locked(() -> {
            Mat bgr = decode(photo);
            try {
                List<Face> faces = detect(bgr);
                if (faces.isEmpty()) throw new UnprocessableContentResponse("no face found in " + what);
                return new Probe(faces.get(0), embed(bgr, faces.get(0)), faces.size());
            } finally {
                bgr.release();
            }
        });
    }

    /** Every face of a photo, largest first; empty when there is none. */
    List<Probe> allFaces(byte[] photo) {
        return locked(() -> {
            Mat bgr = decode(photo);
            try {
                List<Face> faces = detect(bgr);
                List<Probe> probes = new ArrayList<>(faces.size());
                for (Face f : faces) probes.add(new Probe(f, embed(bgr, f), faces.size()));
                return probes;
            } finally {
                bgr.release();
            }
        });
    }

    private Mat decode(byte[] photo) {
        long start = System.nanoTime();
        try {
            return ImageDecoder.decode(photo);
        } catch (ImageException e) {
            throw new BadRequestResponse("unusable image: " + e.getMessage());
        } finally {
            stage("decode", start);
        }
    }

    private List<Face> detect(Mat bgr) {
        long start = System.nanoTime();
        try {
            return pipeline.detect(bgr);
        } finally {
            stage("detect", start);
        }
    }

    private Embedding embed(Mat bgr, Face face) {
        long start = System.nanoTime();
        try {
            return pipeline.embed(bgr, face);
        } finally {
            stage("embed", start);
        }
    }

    /** Kept apart from the door's doorman_stage_seconds: a 12 MP upload would skew the door's latencies. */
    private void stage(String name, long startNanos) {
        metrics.observe("doorman_api_stage_seconds", "stage", name, (System.nanoTime() - startNanos) / 1e9);
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
