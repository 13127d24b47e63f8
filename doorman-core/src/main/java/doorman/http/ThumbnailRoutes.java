package doorman.http;

import doorman.gallery.Gallery;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

/**
 * GET /api/people/{id}/faces/{faceId}/thumbnail: the small JPEG of the enrolled face kept with a template, opened
 * with the person's key. Never cached (a removed person's face must not linger in a browser cache); the page
 * fetches it with the token and shows it through a blob URL, so the token never appears in a URL.
 */
final class ThumbnailRoutes implements Routes.Group {

    private final Gallery gallery;

    ThumbnailRoutes(Gallery gallery) {
        this.gallery = gallery;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("/api/people/{id}/faces/{faceId}/thumbnail", this::thumbnail);
    }

    private void thumbnail(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        long faceId = GalleryCalls.id(ctx, "faceId");
        if (gallery.person(id).isEmpty()) throw new NotFoundResponse("no person with id " + id);
        if (gallery.template(faceId).filter(t -> t.personId() == id).isEmpty())
            throw new NotFoundResponse("person " + id + " has no face " + faceId);
        byte[] jpeg = gallery.thumbnail(faceId).orElseThrow(() -> new NotFoundResponse("face " + faceId
                + " has no thumbnail (enrolled before thumbnails were kept, or with pictures.thumbnails off)"));
        Pictures.send(ctx, jpeg);
    }
}
