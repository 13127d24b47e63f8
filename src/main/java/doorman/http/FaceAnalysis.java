package doorman.http;

import doorman.embedding.Embedding;
import doorman.metrics.Metrics;
import doorman.pipeline.FacePipeline;
import doorman.vision.Face;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import doorman.vision.Liveness;
import doorman.vision.LivenessModel;
import doorman.vision.Quality;
import doorman.vision.QualityGate;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.UnprocessableContentResponse;
import org.opencv.core.Mat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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

    /** A face fit to enroll, with the photo's SHA-256 that the gallery uses to refuse the same photo twice. */
    record Enrollable(Face face, Embedding embedding, String sha256) {
    }

    private final FacePipeline pipeline;
    private final QualityGate quality;
    private final LivenessModel liveness;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();

    /** {@code liveness} is null when the configuration turns the spoof check off. */
    FaceAnalysis(FacePipeline pipeline, QualityGate quality, LivenessModel liveness, Metrics metrics) {
        this.pipeline = pipeline;
        this.quality = quality;
        this.liveness = liveness;
        this.metrics = metrics;
    }

    String encoder() {
        return pipeline.encoderName();
    }

    /**
     * The one face of an uploaded photo, if it passes the quality gate. A file is not a presentation to the camera,
     * so it is not liveness-checked (the API token guards uploads).
     */
    Enrollable enrollable(byte[] photo) {
        return locked(() -> {
            Mat bgr = decode(photo);
            try {
                return gate(bgr, sha256(photo), false);
            } finally {
                bgr.release();
            }
        });
    }

    /**
     * The face in frames from the door camera: every frame must pass the gate including liveness (a spoof is
     * refused with its score); the first frame's face is enrolled, identified by its pixels.
     */
    Enrollable enrollable(List<Mat> frames) {
        if (frames.isEmpty()) throw new IllegalArgumentException("no frames");
        return locked(() -> {
            Enrollable first = null;
            for (int i = 0; i < frames.size(); i++) {
                Mat bgr = frames.get(i);
                byte[] pixels = new byte[(int) (bgr.total() * bgr.channels())];
                bgr.get(0, 0, pixels);
                Enrollable e = gate(bgr, sha256(pixels), true, i + 1, frames.size());
                if (first == null) first = e;
            }
            return first;
        });
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

    private Enrollable gate(Mat bgr, String sha256, boolean checkLiveness) {
        return gate(bgr, sha256, checkLiveness, 1, 1);
    }

    private Enrollable gate(Mat bgr, String sha256, boolean checkLiveness, int frame, int frames) {
        List<Face> faces = detect(bgr);
        if (faces.isEmpty()) throw refuse("no-face", "no face found in the photo");
        if (faces.size() > 1)
            throw refuse("several-faces", faces.size() + " faces in the photo; enrollment needs a photo of one person");
        Face face = faces.get(0);
        long start = System.nanoTime();
        Quality q = quality.assess(bgr, face);
        stage("quality", start);
        if (!q.ok()) throw refuse(q.reasons().get(0).replace(' ', '-'), "photo refused: " + explain(q));
        if (checkLiveness && liveness != null) {
            start = System.nanoTime();
            Liveness live = liveness.check(bgr, face);
            stage("liveness", start);
            if (!live.live())
                throw refuse("spoof", String.format(Locale.ROOT, "capture refused: the face at the door looks like a spoof"
                        + " (a printed photo or a screen): live score %.2f on frame %d of %d, need at least %.2f",
                        live.score(), frame, frames, live.threshold()));
        }
        return new Enrollable(face, embed(bgr, face), sha256);
    }

    /** Each reason with the measurement behind it, so the person knows what to change. */
    private String explain(Quality q) {
        QualityGate.Thresholds t = quality.thresholds();
        List<String> parts = new ArrayList<>();
        for (String reason : q.reasons()) {
            parts.add(switch (reason) {
                case "too small" -> String.format(Locale.ROOT, "face too small (eyes %.0f px apart, need %.0f): come closer"
                        + " or use a larger photo", q.eyeDistance(), t.minEyeDistance());
                case "blurry" -> String.format(Locale.ROOT, "blurry (sharpness %.0f, need %.0f): hold still, focus",
                        q.sharpness(), t.minSharpness());
                case "turned away" -> "face turned away: look straight at the camera";
                case "too dark" -> String.format(Locale.ROOT, "too dark (brightness %.0f of 255, need %.0f)",
                        q.brightness(), t.minBrightness());
                case "too bright" -> String.format(Locale.ROOT, "too bright (brightness %.0f of 255, at most %.0f)",
                        q.brightness(), t.maxBrightness());
                default -> reason;
            });
        }
        return String.join("; ", parts);
    }

    private UnprocessableContentResponse refuse(String reason, String message) {
        metrics.counter("doorman_enrollments_refused_total", "Enrollment photos refused, by reason.", "reason").inc(reason);
        return new UnprocessableContentResponse(message);
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
