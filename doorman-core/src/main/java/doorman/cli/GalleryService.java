package doorman.cli;

import java.util.List;

/**
 * The commands that work on the gallery: {@link LocalGallery} on the store itself, or {@link DaemonClient} through
 * the running daemon, which is then the store's one writer. Both answer the same way ({@link Answer}).
 */
interface GalleryService extends AutoCloseable {

    Answer people(double strangerAccept);

    /** {@code words}: an action (remove, rename, enable, disable, schedule) and its names. */
    Answer change(List<String> words);

    Answer enroll(String name, List<Photo> photos);

    Answer identify(Photo photo, double strangerAccept);

    Answer verifyAs(Photo photo, String name, double strangerAccept);

    @Override
    void close();
}
