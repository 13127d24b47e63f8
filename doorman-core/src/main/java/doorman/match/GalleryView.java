package doorman.match;

import doorman.gallery.Gallery;

/**
 * The gallery as the frame loop and the API see it: the door's decision over the current templates, rebuilt only
 * after the gallery changed (an enrollment over HTTP, say), so a frame never waits on the store and the door's
 * threshold always fits the household enrolled now.
 */
public final class GalleryView {

    private final Gallery gallery;
    private final Calibration calibration;
    private final DoorSettings door;
    private volatile DoorDecision decision;
    private volatile long builtAt = -1;

    public GalleryView(Gallery gallery, Calibration calibration, DoorSettings door) {
        this.gallery = gallery;
        this.calibration = calibration;
        this.door = door;
    }

    /** The door's decision for the household enrolled now. */
    public DoorDecision decision() {
        long now = gallery.revision();
        if (now != builtAt) {
            synchronized (this) {
                if (now != builtAt) {
                    Gallery.Snapshot snapshot = gallery.snapshot();
                    decision = new DoorDecision(calibration, door.references(), snapshot.people(), snapshot.templates(),
                            door.curves(), door.strangerAcceptPerVisit());
                    builtAt = now;
                }
            }
        }
        return decision;
    }

    public Gallery gallery() {
        return gallery;
    }

    public Calibration calibration() {
        return calibration;
    }

    public DoorSettings door() {
        return door;
    }
}
