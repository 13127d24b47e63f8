package doorman.http;

import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.match.GalleryView;
import doorman.match.Identification;
import doorman.match.Match;
import doorman.match.Matcher;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * /api/verify (a photo against a person, or two photos against each other) and /api/identify (every
 * face of a photo against the gallery). Read-only: nothing here changes the gallery or the door.
 */
final class MatchRoutes implements Routes.Group {

    record PairResult(double distance, double probability, String decision, int facesInImage, int facesInOther) {
    }

    record PersonResult(Views.MatchView match, int facesInImage) {
    }

    record IdentifiedFace(Views.Box box, Views.MatchView match, Double secondDistance) {
    }

    record IdentifyResult(List<IdentifiedFace> faces) {
    }

    private final Gallery gallery;
    private final GalleryView view;
    private final FaceAnalysis analysis;
    private final Calibration calibration;
    private RequestBodies bodies;

    MatchRoutes(Gallery gallery, FaceAnalysis analysis, Calibration calibration, double minGap) {
        this.gallery = gallery;
        this.view = new GalleryView(gallery, calibration, minGap);
        this.analysis = analysis;
        this.calibration = calibration;
    }

    @Override
    public void addTo(Routes routes) {
        bodies = routes.bodies();
        routes.post("/api/verify", this::verify);
        routes.post("/api/identify", this::identify);
    }

    private void verify(Context ctx) {
        String personParam = Optional.ofNullable(ctx.queryParam("person")).orElseGet(() -> bodies.multipartField(ctx, "person"));
        byte[] photo = bodies.image(ctx, "image");
        if (personParam != null) {
            long personId = parseId(personParam);
            if (gallery.person(personId).isEmpty()) throw new io.javalin.http.NotFoundResponse("no person with id " + personId);
            FaceAnalysis.Probe probe = analysis.largestFace(photo, "the photo");
            Match m;
            try {
                m = matcher().verify(probe.embedding(), analysis.encoder(), personId);
            } catch (java.util.NoSuchElementException deletedMeanwhile) {
                throw new io.javalin.http.NotFoundResponse("no person with id " + personId);
            }
            ctx.json(new PersonResult(Views.MatchView.of(m), probe.facesInImage()));
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
        Matcher matcher = probes.isEmpty() ? null : matcher();
        List<IdentifiedFace> faces = new ArrayList<>();
        for (FaceAnalysis.Probe p : probes) {
            Optional<Identification> found = matcher.identify(p.embedding(), analysis.encoder());
            faces.add(new IdentifiedFace(Views.Box.of(p.face()),
                    found.map(i -> Views.MatchView.of(i.best())).orElse(null),
                    found.map(i -> Views.finite(i.secondDistance())).orElse(null)));
        }
        ctx.json(new IdentifyResult(faces));
    }

    /** Rebuilt only when the gallery has changed since the last request, so enrollments show up at once. */
    private Matcher matcher() {
        return view.matcher();
    }

    private String decide(double distance) {
        Match.Decision d = distance <= calibration.acceptDistance() ? Match.Decision.ACCEPT
                : distance > calibration.unknownDistance() ? Match.Decision.STRANGER : Match.Decision.UNCERTAIN;
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
