package doorman.http;

import doorman.pictures.SnapshotStore;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

/**
 * GET /api/events/{id}/snapshot: the picture of the face kept for a refused visit (stranger, not live, disabled,
 * outside their schedule), decrypted for the signed-in owner; 404 when the event has none, it expired, or
 * snapshots are off.
 */
final class SnapshotRoutes implements Routes.Group {

    private final SnapshotStore snapshots;

    /** {@code snapshots} null: none are kept here. */
    SnapshotRoutes(SnapshotStore snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("/api/events/{id}/snapshot", this::snapshot);
    }

    private void snapshot(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        byte[] jpeg = (snapshots == null ? java.util.Optional.<byte[]>empty() : snapshots.get(id))
                .orElseThrow(() -> new NotFoundResponse("event " + id + " has no snapshot (only refused visits get one,"
                        + " kept for pictures.snapshot-days)"));
        Pictures.send(ctx, jpeg);
    }
}
