package doorman.http;

import doorman.match.Recognition;
import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.DoorSettings;
import doorman.match.GalleryView;
import doorman.match.Match;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * /api/verify (a photo against a person, or two photos against each other) and /api/identify (every
 * face of a photo against the gallery). A photo against the gallery is decided as the door decides a one-frame
 * visit ({@link DoorDecision}), with the threshold in force reported. Read-only: nothing here changes the gallery
 * or the door.
 */
final class MatchRoutes implements Routes.Group {

    record PairResult(double distance, double probability, String decision, int facesInImage, int facesInOther) {
    }

    record PersonResult(Views.MatchView match, int facesInImage, double threshold) {
    }

    record IdentifiedFace(Views.Box box, Views.MatchView match, Double threshold) {
    }

    record IdentifyResult(List<IdentifiedFace> faces) {
    }

    /** What the door decides with for the household enrolled now, for the web page. */
    record DoorDecisionInfo(int people, String references, double threshold, double target,
                            double expectedStrangerAcceptPerVisit) {
    }

    private final Gallery gallery;
    private final GalleryView view;
    private final FaceAnalysis analysis;
    private final Calibration calibration;
    private RequestBodies bodies;

    MatchRoutes(Gallery gallery, FaceAnalysis analysis, Calibration calibration, DoorSettings door) {
        this.gallery = gallery;
        this.view = new GalleryView(gallery, calibration, door);
        this.analysis = analysis;
        this.calibration = calibration;
    }

    @Override
    public void addTo(Routes routes) {
        bodies = routes.bodies();
        routes.post("/api/verify", this::verify);
        routes.post("/api/identify", this::identify);
        routes.get("/api/door/decision", this::decisionInfo);
    }

    private void verify(Context ctx) {
        String personParam = Optional.ofNullable(ctx.queryParam("person")).orElseGet(() -> bodies.multipartField(ctx, "person"));
        byte[] photo = bodies.image(ctx, "image");
        if (personParam != null) {
            long personId = parseId(personParam);
            if (gallery.person(personId).isEmpty()) throw new io.javalin.http.NotFoundResponse("no person with id " + personId);
            FaceAnalysis.Probe probe = analysis.largestFace(photo, "the photo");
            String name = gallery.person(personId).map(doorman.gallery.Person::name)
                    .orElseThrow(() -> new io.javalin.http.NotFoundResponse("no person with id " + personId));
            DoorDecision door = decision();
            DoorDecision.Verdict v = door.verify(List.of(probe.embedding()), personId, name);
            ctx.json(new PersonResult(Views.MatchView.of(v.toMatch()), probe.facesInImage(), door.threshold().distance()));
            return;
        }
        byte[] other = bodies.optionalMultipartImage(ctx, "other");
        if (other == null)
            throw new BadRequestResponse("say what to compare with: ?person=<id>, or a multipart file field 'other'");
        FaceAnalysis.Probe a = analysis.largestFace(photo, "'image'");
        FaceAnalysis.Probe b = analysis.largestFace(other, "'other'");
        double d = a.embedding().distance(b.embedding());
        ctx.json(new PairResult(d, calibration.probabilitySame(d), decide(d), a.facesInImage(), b.facesInImage()));
    }

    private void identify(Context ctx) {
        byte[] photo = bodies.image(ctx, "image");
        List<FaceAnalysis.Probe> probes = analysis.allFaces(photo);
        DoorDecision door = probes.isEmpty() ? null : decision();
        List<IdentifiedFace> faces = new ArrayList<>();
        for (FaceAnalysis.Probe p : probes) {
            Optional<DoorDecision.Verdict> found = door.decide(List.of(p.embedding()));
            faces.add(new IdentifiedFace(Views.Box.of(p.face()),
                    found.map(v -> Views.MatchView.of(v.toMatch())).orElse(null), door.threshold().distance()));
        }
        ctx.json(new IdentifyResult(faces));
    }

    private void decisionInfo(Context ctx) {
        DoorDecision door = view.decision();
        ctx.json(new DoorDecisionInfo(door.people(), door.references().name().toLowerCase(Locale.ROOT),
                door.threshold().distance(), door.threshold().target(), door.threshold().expectedStrangerAccept()));
    }

    /** Rebuilt only when the gallery has changed since the last request, so enrollments show up at once. */
    private DoorDecision decision() {
        DoorDecision door = view.decision();
        if (!door.encoder().equals(analysis.encoder()))
            throw new IllegalStateException("the API's encoder " + analysis.encoder() + " differs from the gallery view's " + door.encoder());
        return door;
    }

    private String decide(double distance) {
        Recognition d = distance <= calibration.acceptDistance() ? Recognition.ACCEPT
                : distance > calibration.unknownDistance() ? Recognition.STRANGER : Recognition.UNCERTAIN;
        return d.name().toLowerCase(Locale.ROOT);
    }

    private static long parseId(String raw) {
        try {
            long id = Long.parseLong(raw.strip());
            if (id >= 0) return id;
        } catch (NumberFormatException ignored) {
            // falls through to the same message
        }
        throw new BadRequestResponse("person must be a non-negative whole number");
    }
}
