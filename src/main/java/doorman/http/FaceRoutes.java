package doorman.http;

import doorman.gallery.Gallery;
import doorman.gallery.Template;
import doorman.match.EnrollmentCheck;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import org.opencv.core.Mat;

import java.util.NoSuchElementException;

/**
 * /api/people/{id}/faces: enroll a photo (upload or door camera), list and remove a person's templates.
 * The slow part (decode, detect, gate, embed) runs before the person's lock is taken; the lock covers
 * only the check-and-store, so a delete never waits behind a photo being analysed.
 */
final class FaceRoutes implements Routes.Group {

    private final Gallery gallery;
    private final FaceAnalysis analysis;
    private final DoorCamera camera;
    private final PersonLocks locks;
    private RequestBodies bodies;

    FaceRoutes(Gallery gallery, FaceAnalysis analysis, DoorCamera camera, PersonLocks locks) {
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
        ctx.json(GalleryCalls.call(() -> gallery.templates(id)).stream().map(Views.FaceView::of).toList());
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
        Mat frame = camera.latestFrame()
                .orElseThrow(() -> new ConflictResponse("the door camera has no recent frame; try again in a moment"));
        try {
            store(ctx, id, analysis.enrollable(frame));
        } finally {
            frame.release();
        }
    }

    /** The stored face, and a warning (null when none) when the photo is nearer to someone else than to the person's own photos. */
    record Stored(long id, long personId, String encoder, String sha256, double quality, String created, String warning) {
    }

    private void store(Context ctx, long personId, FaceAnalysis.Enrollable face) {
        String[] warning = {null};
        Template t = locks.withPerson(personId, () -> GalleryCalls.call(() -> {
            Gallery.Snapshot before = gallery.snapshot();
            String name = gallery.person(personId).map(doorman.gallery.Person::name).orElse("this person");
            EnrollmentCheck.check(face.embedding(), analysis.encoder(), personId, before.people(), before.templates())
                    .ifPresent(w -> warning[0] = w.describe(name));
            return gallery.addTemplate(personId, face.embedding(), analysis.encoder(), face.sha256(), face.face().score());
        }));
        ctx.status(HttpStatus.CREATED).header("Location", "/api/people/" + personId + "/faces/" + t.id())
                .json(new Stored(t.id(), t.personId(), t.encoder(), t.sourceSha256(), t.quality(), t.created().toString(), warning[0]));
    }

    private void delete(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        long faceId = GalleryCalls.id(ctx, "faceId");
        locks.withPerson(id, () -> GalleryCalls.call(() -> {
            Template t = gallery.template(faceId).filter(x -> x.personId() == id)
                    .orElseThrow(() -> new NoSuchElementException("person " + id + " has no face " + faceId));
            return gallery.removeTemplate(t.id());
        }));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void requirePerson(long id) {
        if (gallery.person(id).isEmpty()) throw new NotFoundResponse("no person with id " + id);
    }
}
