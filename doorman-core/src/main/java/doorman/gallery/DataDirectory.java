package doorman.gallery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory holds biometric templates, the API token and the keys, so it is made owner-only (0700) and
 * every file in it 0600, set explicitly rather than left to the umask of whoever started doorman (systemd's
 * StateDirectory does it right, a shell with umask 022 does not). On a file system without POSIX permissions
 * nothing is changed.
 */
public final class DataDirectory {

    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** For creating a file that is private from its first byte. */
    public static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE = PosixFilePermissions.asFileAttribute(OWNER_ONLY);

    private DataDirectory() {
    }

    /** Creates {@code dir} if needed, makes it 0700 and its files 0600; returns its real path. */
    public static Path secure(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } catch (UnsupportedOperationException noPosix) {
                Files.createDirectories(dir);
            }
        }
        Path real = dir.toRealPath();
        setPermissions(real, OWNER_ONLY_DIR);
        tightenFiles(real);
        return real;
    }

    /** Makes every regular file directly in {@code dir} 0600 (MapDB creates its write-ahead logs with the umask). */
    public static void tightenFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files)
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) setPermissions(file, OWNER_ONLY);
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> wanted) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted))
                Files.setPosixFilePermissions(path, wanted);
        } catch (UnsupportedOperationException noPosix) {
            // e.g. a FAT-formatted card: nothing to set
        }
    }

    /** Makes a rename in {@code dir} durable; file systems that cannot sync a directory are left to their own order. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // not supported everywhere; the rename itself is still atomic
        }
    }

    /** A one-line reason for a storage failure, naming a full disk plainly. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("No space left on device")) return "the disk is full (No space left on device)";
            if (message != null && message.contains("Disk quota exceeded")) return "the disk quota is exhausted";
        }
        for (Throwable t = e; t != null; t = t.getCause())
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        return e.getClass().getSimpleName();
    }
}
