package doorman.enroll;

import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;
import doorman.match.Calibration;
import doorman.match.EnrollmentCheck;
import doorman.pictures.FacePictures;
import doorman.vision.Detector;
import doorman.vision.Face;
import doorman.vision.ImageDecoder;
import doorman.vision.Liveness;
import doorman.vision.LivenessModel;
import doorman.vision.Quality;
import doorman.vision.QualityGate;
import org.opencv.core.Mat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The one way a face becomes a template, for the CLI, the HTTP upload and the capture from the door camera:
 * decode -> detect -> exactly one face -> quality gate -> liveness (live capture only) -> embed, then the
 * duplicate and wrong-person checks and the templates. A photo file is not a presentation to the camera, so it
 * is not liveness-checked (the API token guards uploads); a frame from the door camera is.
 * Not thread-safe: the detector and encoder are one thread's.
 */
public final class Enrollment {

    /** Where the face comes from; only a live capture is a presentation the liveness check can judge. */
    public enum Source { PHOTO_FILE, DOOR_CAMERA }

    /**
     * A face fit to enroll, with the digest of the photo or frame it came from and a JPEG thumbnail of the aligned
     * face (null when thumbnails are not kept).
     */
    public record Candidate(Face face, Embedding embedding, String sha256, Quality quality, byte[] thumbnail) {
        public Candidate(Face face, Embedding embedding, String sha256, Quality quality) {
            this(face, embedding, sha256, quality, null);
        }
    }

    /** What storing did: templates added, photos the person already had, and warnings worth a second look. */
    public record Stored(Person person, List<Template> added, List<String> duplicates, List<String> warnings) {}

    private final Detector detector;
    private final Encoder encoder;
    private final QualityGate quality;
    private final LivenessModel liveness;
    private final Calibration calibration;
    private final Consumer<String> refusals;
    private final boolean thumbnails;

    /**
     * @param liveness    null when the config turns the spoof check off
     * @param calibration the encoder's margins, for the wrong-person warning
     * @param refusals    hears each refusal's reason code (for metrics)
     */
    public Enrollment(Detector detector, Encoder encoder, QualityGate quality, LivenessModel liveness,
                      Calibration calibration, Consumer<String> refusals) {
        this(detector, encoder, quality, liveness, calibration, refusals, true);
    }

    /** As above; {@code thumbnails} false keeps no picture of the face with its template (config pictures.thumbnails). */
    public Enrollment(Detector detector, Encoder encoder, QualityGate quality, LivenessModel liveness,
                      Calibration calibration, Consumer<String> refusals, boolean thumbnails) {
        this.thumbnails = thumbnails;
        this.detector = detector;
        this.encoder = encoder;
        this.quality = quality;
        this.liveness = liveness;
        this.calibration = calibration;
        this.refusals = refusals;
    }

    public String space() {
        return encoder.space();
    }

    /** An uploaded or local photo file (bounded decode); {@link doorman.vision.ImageException} when unreadable. */
    public Candidate examine(byte[] photo) {
        Mat bgr = ImageDecoder.decode(photo);
        try {
            return examine(bgr, PhotoDigest.sha256(photo), Source.PHOTO_FILE);
        } finally {
            bgr.release();
        }
    }

    /**
     * Frames from the door camera, a moment apart: every one must pass the gate including liveness, so a single
     * frame that happens to look live cannot enroll a photo held to the camera. The first frame's face is enrolled,
     * identified by its pixels.
     */
    public Candidate examineCapture(List<Mat> frames) {
        if (frames.isEmpty()) throw new IllegalArgumentException("no frames");
        Candidate first = null;
        for (int i = 0; i < frames.size(); i++) {
            Mat frame = frames.get(i);
            byte[] pixels = new byte[(int) (frame.total() * frame.channels())];
            frame.get(0, 0, pixels);
            Candidate c = examine(frame, PhotoDigest.sha256(pixels), Source.DOOR_CAMERA, i + 1, frames.size());
            if (first == null) first = c;
        }
        return first;
    }

    private Candidate examine(Mat bgr, String sha256, Source source) {
        return examine(bgr, sha256, source, 1, 1);
    }

    private Candidate examine(Mat bgr, String sha256, Source source, int frame, int frames) {
        List<Face> faces = detector.detect(bgr);
        if (faces.isEmpty()) throw refuse("no-face", "no face found in the " + what(source));
        if (faces.size() > 1)
            throw refuse("several-faces", faces.size() + " faces in the " + what(source) + "; enrollment needs one person");
        Face face = faces.get(0);
        Quality q = quality.assess(bgr, face);
        if (!q.ok()) throw refuse(q.reasons().get(0).replace(' ', '-'), what(source) + " refused: " + explain(q));
        if (source == Source.DOOR_CAMERA && liveness != null) {
            Liveness live = liveness.check(bgr, face);
            if (!live.live())
                throw refuse("spoof", String.format(Locale.ROOT, "capture refused: the face at the door looks like a"
                        + " printed photo or a screen held to the camera: live score %.2f on frame %d of %d, need at least %.2f",
                        live.score(), frame, frames, live.threshold()));
        }
        return new Candidate(face, encoder.embed(bgr, face), sha256, q, thumbnails ? FacePictures.thumbnail(bgr, face) : null);
    }

    /** Adds the candidates to the enrolled person {@code personId}; see {@link #enroll}. */
    public Stored store(Gallery gallery, long personId, List<Candidate> candidates) {
        Person person = gallery.person(personId).orElseThrow(() -> new IllegalArgumentException("no person " + personId));
        return enroll(gallery, person.name(), candidates);
    }

    /**
     * Adds the candidates to the person called {@code name} (created when new) in one transaction: a crash part-way
     * leaves all or nothing. A photo the person already has is skipped; a face nearer to someone else than to the
     * person's own photos (or, for a first photo, within the accept distance of someone else) is stored but warned
     * about, since it may be the wrong person's photo.
     */
    public Stored enroll(Gallery gallery, String name, List<Candidate> candidates) {
        List<Template> all = gallery.templates();
        java.util.Optional<Person> existing = gallery.findPerson(name);
        List<String> warnings = new ArrayList<>();
        List<Gallery.TemplateInput> inputs = new ArrayList<>();
        for (Candidate c : candidates) {
            existing.ifPresentOrElse(p -> wrongPersonWarning(gallery, all, p, c).ifPresent(warnings::add),
                    () -> firstPhotoWarning(gallery, all, name, c).ifPresent(warnings::add));
            inputs.add(new Gallery.TemplateInput(c.embedding(), encoder.space(), c.sha256(), c.face().score(),
                    thumbnails ? c.thumbnail() : null));
        }
        Gallery.Enrolment done = gallery.enroll(name, inputs);
        return new Stored(done.person(), done.added(), done.skippedSha256(), warnings);
    }

    private java.util.Optional<String> firstPhotoWarning(Gallery gallery, List<Template> all, String name, Candidate c) {
        return EnrollmentCheck.check(c.embedding(), encoder.space(), -1, gallery.people(), all,
                calibration.acceptDistance()).map(w -> w.describe(name));
    }

    private java.util.Optional<String> wrongPersonWarning(Gallery gallery, List<Template> all, Person person, Candidate c) {
        return EnrollmentCheck.check(c.embedding(), encoder.space(), person.id(), gallery.people(), all,
                calibration.acceptDistance()).map(w -> w.describe(person.name()));
    }

    private static String what(Source source) {
        return source == Source.PHOTO_FILE ? "photo" : "camera frame";
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

    private EnrollmentRefused refuse(String reason, String message) {
        refusals.accept(reason);
        return new EnrollmentRefused(reason, message);
    }
}
