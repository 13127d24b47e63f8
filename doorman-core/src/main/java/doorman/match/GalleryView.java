package doorman.match;

import doorman.gallery.Gallery;

/**
 * The gallery as the frame loop and the API see it: a matcher over the current templates, rebuilt only after the gallery
 * changed (an enrollment over HTTP, say), so a frame never waits on the store.
 */
public final class GalleryView {

    private final Gallery gallery;
    private final Calibration calibration;
    private final double minGap;
    private volatile Matcher matcher;
    private volatile long builtAt = -1;

    public GalleryView(Gallery gallery, Calibration calibration, double minGap) {
        this.gallery = gallery;
        this.calibration = calibration;
        this.minGap = minGap;
    }

    public Matcher matcher() {
        long now = gallery.revision();
        if (now != builtAt) {
            synchronized (this) {
                if (now != builtAt) {
                    matcher = Matcher.fromGallery(gallery, calibration, minGap);
                    builtAt = now;
                }
            }
        }
        return matcher;
    }

    public Gallery gallery() {
        return gallery;
    }

    public Calibration calibration() {
        return calibration;
    }
}
