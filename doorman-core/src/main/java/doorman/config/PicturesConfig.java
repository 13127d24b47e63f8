package doorman.config;

/**
 * Pictures the door keeps for the owner's web page. {@code thumbnails}: a small aligned crop of each enrolled face,
 * sealed with the person's key beside their template (false keeps none). {@code snapshotDays}: how long a small
 * encrypted picture of the face at each refused visit is kept (0 keeps none).
 */
public record PicturesConfig(boolean thumbnails, int snapshotDays) {

    public PicturesConfig {
        Checks.between("pictures.snapshot-days", snapshotDays, 0, 365);
    }

    public static PicturesConfig defaults() {
        return new PicturesConfig(true, 7);
    }
}
