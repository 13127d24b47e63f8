package doorman.gallery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-writer guard: an exclusive OS lock on {@code gallery.lock}, held while the gallery is open.
 * The holder's pid is written into the file so the refusal can say who holds it. The file itself is never
 * deleted: deleting a lock file lets two processes lock two different files.
 * <p>
 * Locks held by this JVM are also tracked in memory and checked before any channel is opened: on Linux,
 * closing any descriptor of a file drops all of the process's locks on it, so a refused second open
 * must never open and close the lock file behind the first one's back.
 */
final class StoreLock implements AutoCloseable {

    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path lockFile;

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** {@code lockFile} must be absolute and normalised, so one file has one key in the in-memory set. */
    static StoreLock acquire(Path lockFile, Path store) {
        if (!HELD_BY_THIS_PROCESS.add(lockFile)) throw openInThisProcess(store);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            HELD_BY_THIS_PROCESS.remove(lockFile);
            throw new GalleryException("cannot open the lock file " + lockFile + ": " + DataDirectory.describe(e), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw openInThisProcess(store); // locked through another path to the same file
            }
            if (lock == null) {
                String holder = holderPid(channel);
                throw new GalleryException("the store at " + store + " is in use by another doorman process"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it first");
            }
            writePid(channel);
            return new StoreLock(lockFile, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_BY_THIS_PROCESS.remove(lockFile);
            throw new GalleryException("cannot lock " + lockFile + ": " + DataDirectory.describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD_BY_THIS_PROCESS.remove(lockFile);
            throw e;
        }
    }

    private static GalleryException openInThisProcess(Path store) {
        return new GalleryException("the store at " + store + " is in use by another doorman process"
                + " (this process already has it open; share that Gallery instead)");
    }

    private static String holderPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return text.matches("\\d{1,19}") ? text : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void writePid(FileChannel channel) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was locked, nothing to undo
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock anyway
        } finally {
            closeQuietly(channel);
            HELD_BY_THIS_PROCESS.remove(lockFile);
        }
    }
}
