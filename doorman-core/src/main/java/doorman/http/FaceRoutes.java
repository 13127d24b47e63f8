package doorman.http;

import doorman.enroll.Enrollment;
import doorman.audit.AdminAudit;
import doorman.gallery.Gallery;
import doorman.gallery.Template;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import org.opencv.core.Mat;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * /api/people/{id}/faces: enroll a photo (upload or door camera), list and remove a person's templates.
 * The slow part (decode, detect, gate, embed) runs before the person's lock is taken; the lock covers
 * only the check-and-store, so a delete never waits behind a photo being analysed.
 */
final class FaceRoutes implements Routes.Group {

    /** Capture checks this many camera frames, about a camera frame interval or more apart. */
    static final int CAPTURE_FRAMES = 3;
    static final long CAPTURE_GAP_MS = 120;

    private final Gallery gallery;
    private final FaceAnalysis analysis;
    private final DoorCamera camera;
    private final PersonLocks locks;
    private RequestBodies bodies;

    private final AdminAudit audit;

    FaceRoutes(Gallery gallery, FaceAnalysis analysis, DoorCamera camera, PersonLocks locks, AdminAudit audit) {
        this.audit = audit;
        this.gallery = gallery;
        this.analysis = analysis;
        this.camera = camera;
        this.locks = locks;
    }

    @Override
    public void addTo(Routes routes) {
        bodies = routes.bodies();
        routes.get("/api/people/{id}/faces", this::list);
        routes.post("/api/people/{id}/faces", this::upload);
        routes.post("/api/people/{id}/faces/capture", this::capture);
        routes.delete("/api/people/{id}/faces/{faceId}", this::delete);
    }

    private void list(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        java.util.Set<Long> pictured = gallery.templatesWithThumbnails();
        ctx.json(GalleryCalls.call(() -> gallery.templates(id)).stream().map(t -> Views.FaceView.of(t, pictured.contains(t.id()))).toList());
    }

    private void upload(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        requirePerson(id); // before the costly analysis
        byte[] photo = bodies.image(ctx, "image");
        store(ctx, id, analysis.enrollable(photo));
    }

    private void capture(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        requirePerson(id);
        if (camera == null) throw new ConflictResponse("no camera in serve mode: run 'doorman run' to capture at the door");
        List<Mat> frames = new ArrayList<>();
        try {
            // several frames, so one frame that happens to look live cannot enroll a photo held to the camera
            for (int i = 0; i < CAPTURE_FRAMES; i++) {
                if (i > 0) pause(CAPTURE_GAP_MS);
                frames.add(camera.latestFrame()
                        .orElseThrow(() -> new ConflictResponse("the door camera has no recent frame; try again in a moment")));
            }
            store(ctx, id, analysis.enrollable(frames));
        } finally {
            frames.forEach(Mat::release);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictResponse("capture interrupted");
        }
    }

    private void store(Context ctx, long personId, Enrollment.Candidate face) {
        Enrollment.Stored stored = locks.withPerson(personId, () -> GalleryCalls.call(() -> analysis.store(gallery, personId, face)));
        if (stored.added().isEmpty()) throw new ConflictResponse("this photo is already enrolled for " + stored.person().name());
        Template t = stored.added().get(0);
        audit.record(personId, stored.person().name(), "face " + t.id() + " added (API from " + ctx.ip() + ")");
        ctx.status(HttpStatus.CREATED).header("Location", "/api/people/" + personId + "/faces/" + t.id())
                .json(Views.FaceView.of(t, stored.warnings(), gallery.templatesWithThumbnails().contains(t.id())));
    }

    private void delete(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        long faceId = GalleryCalls.id(ctx, "faceId");
        locks.withPerson(id, () -> GalleryCalls.call(() -> {
            Template t = gallery.template(faceId).filter(x -> x.personId() == id)
                    .orElseThrow(() -> new NoSuchElementException("person " + id + " has no face " + faceId));
            return gallery.removeTemplate(t.id());
        }));
        audit.record(id, gallery.person(id).map(doorman.gallery.Person::name).orElse(null),
                "face " + faceId + " removed (API from " + ctx.ip() + ")");
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void requirePerson(long id) {
        if (gallery.person(id).isEmpty()) throw new NotFoundResponse("no person with id " + id);
    }
}
