package doorman.gallery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * MapDB's write-ahead log left by a process killed while it was writing. MapDB writes a transaction into the log
 * and syncs its commit mark before it touches {@code gallery.db}, so a log that MapDB cannot replay holds a change
 * that never committed (no caller was told it was stored). Setting the log aside, not deleting it, lets the store
 * open as it was at the last commit while the torn log stays for inspection; the gallery's own checks (sealed
 * records, index agreement) still run on what opens.
 */
final class TornLog {

    /** What a log set aside has added to its name, before the time it was set aside. */
    static final String SUFFIX = ".torn-";

    private final List<Path[]> moved; // {original, aside}
    private final Throwable replayFailure;

    private TornLog(List<Path[]> moved, Throwable replayFailure) {
        this.moved = moved;
        this.replayFailure = replayFailure;
    }

    /**
     * Moves every write-ahead log file of {@code storeFile} ({@code gallery.db.wal.*}) beside itself with a
     * {@code .torn-<millis>} suffix, after MapDB refused the store with {@code replayFailure}; empty when there were none.
     */
    static TornLog setAside(Path storeFile, long nowMillis, Throwable replayFailure) throws IOException {
        List<Path[]> moved = new ArrayList<>();
        for (Path log : KeyRotation.walFiles(storeFile.getParent(), storeFile.getFileName().toString())) {
            Path aside = log.resolveSibling(log.getFileName() + SUFFIX + nowMillis);
            Files.move(log, aside, StandardCopyOption.ATOMIC_MOVE);
            moved.add(new Path[]{log, aside});
        }
        return new TornLog(moved, replayFailure);
    }

    boolean isEmpty() {
        return moved.isEmpty();
    }

    /** Puts the log back, when the store does not open without it either: the damage is elsewhere, left as found. */
    void restore() throws IOException {
        for (Path[] m : moved) Files.move(m[1], m[0], StandardCopyOption.ATOMIC_MOVE);
    }

    /** One line for the log and the audit. */
    String describe() {
        String files = moved.stream().map(m -> m[1].getFileName().toString()).toList().toString();
        return "gallery: the write-ahead log of an unfinished change could not be replayed (" + replayFailure
                + "), most likely torn by a crash or power cut while it was written; it was set aside as " + files
                + " and the gallery opened as it was at its last commit (the unfinished change was never reported as stored)";
    }
}
