package doorman.pictures;

import doorman.gallery.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshots of refused visits: one small JPEG per audit event, each in its own file
 * {@code <data-dir>/snapshots/<event id>-<event epoch ms>.snap} (0600, in a 0700 folder), sealed with AES-256-GCM
 * under a key kept in {@code <data-dir>/snapshots.key} (0600), never in the snapshot files. The event's id and time
 * are the associated data, so a file renamed to another event fails its tag. A snapshot goes when it is older than
 * the kept days, when its audit event has been pruned, or when more than {@value #MAX_FILES} are kept (oldest first).
 * A keep of zero days keeps none and deletes any left from before. Snapshots are pictures for the owner, never
 * part of a decision: a missing or damaged key file starts afresh (the old snapshots are deleted), it never stops
 * the door. Thread-safe.
 */
public final class SnapshotStore {

    public static final String DIR = "snapshots";
    public static final String KEY_FILE = "snapshots.key";
    /** A snapshot is a few KB (at most 160 pixels a side); anything larger is refused. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Bounds the folder whatever the event rate: about 30 MB of 6 KB snapshots. */
    static final int MAX_FILES = 5000;
    private static final byte LAYOUT = 1;
    private static final int KEY_BYTES = 32, NONCE_BYTES = 12, TAG_BITS = 128;
    private static final Pattern NAME = Pattern.compile("(\\d{1,19})-(-?\\d{1,19})\\.snap");
    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);

    private final Path dir;
    private final Duration keep;
    private final Clock clock;
    private final BiPredicate<Long, Instant> eventExists;
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();
    /** event id -> event time in epoch ms, for every snapshot file in the folder. */
    private final ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>();

    private SnapshotStore(Path dir, Duration keep, Clock clock, BiPredicate<Long, Instant> eventExists, byte[] key) {
        this.dir = dir;
        this.keep = keep;
        this.clock = clock;
        this.eventExists = eventExists;
        this.key = key;
    }

    /**
     * Opens the snapshots in {@code dataDir}, making the folder and key as needed, and prunes them.
     *
     * @param keepDays    how long a snapshot is kept; 0 keeps none
     * @param eventExists whether the audit log still holds the event with this id and time
     */
    public static SnapshotStore open(Path dataDir, int keepDays, Clock clock, BiPredicate<Long, Instant> eventExists)
            throws IOException {
        if (keepDays < 0) throw new IllegalArgumentException("keepDays must be 0 or more, got " + keepDays);
        Path real = DataDirectory.secure(dataDir);
        Path dir = real.resolve(DIR);
        if (keepDays == 0) {
            deleteAll(dir);
            return new SnapshotStore(dir, Duration.ZERO, clock, eventExists, null);
        }
        DataDirectory.secure(dir);
        byte[] key = loadKey(real.resolve(KEY_FILE), dir);
        SnapshotStore store = new SnapshotStore(dir, Duration.ofDays(keepDays), clock, eventExists, key);
        store.scan();
        store.prune();
        return store;
    }

    /** Whether snapshots are kept at all. */
    public boolean enabled() {
        return key != null;
    }

    /** Seals and stores the snapshot of the event {@code eventId} at {@code eventTime}; replaces none. */
    public void put(long eventId, Instant eventTime, byte[] jpeg) throws IOException {
        if (!enabled()) return;
        if (jpeg.length == 0 || jpeg.length > MAX_BYTES)
            throw new IllegalArgumentException("a snapshot must hold 1 to " + MAX_BYTES + " bytes, got " + jpeg.length);
        long millis = eventTime.toEpochMilli();
        if (index.containsKey(eventId)) return; // at most one per event
        byte[] sealed = seal(eventId, millis, jpeg);
        Path file = dir.resolve(name(eventId, millis));
        Path temp = dir.resolve(name(eventId, millis) + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, DataDirectory.OWNER_ONLY_FILE);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(sealed));
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file);
        }
        index.put(eventId, millis);
        if (index.size() > MAX_FILES) prune();
    }

    /** Whether the event has a snapshot that is still kept. */
    public boolean has(long eventId) {
        Long millis = index.get(eventId);
        return millis != null && !expired(millis);
    }

    /**
     * The event's snapshot as a JPEG; empty when it has none, it expired or its event was pruned (it is then deleted
     * at once, not at the next hourly prune), or it does not open.
     */
    public Optional<byte[]> get(long eventId) {
        Long millis = index.get(eventId);
        if (millis == null) return Optional.empty();
        if (expired(millis) || !eventExists.test(eventId, Instant.ofEpochMilli(millis))) {
            delete(eventId, millis);
            return Optional.empty();
        }
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(dir.resolve(name(eventId, millis)));
        } catch (NoSuchFileException gone) {
            index.remove(eventId);
            return Optional.empty();
        } catch (IOException e) {
            log.warn("snapshots: cannot read the snapshot of event {}: {}", eventId, e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(open(eventId, millis, sealed));
        } catch (AEADBadTagException e) {
            log.warn("snapshots: the snapshot of event {} does not open (altered, or made with another key); deleting it", eventId);
            delete(eventId, millis);
            return Optional.empty();
        }
    }

    /** Deletes expired snapshots, those whose event is no longer audited, and the oldest beyond the cap; returns how many. */
    public synchronized int prune() {
        int removed = 0;
        for (Map.Entry<Long, Long> e : index.entrySet()) {
            if (expired(e.getValue()) || !eventExists.test(e.getKey(), Instant.ofEpochMilli(e.getValue()))) {
                delete(e.getKey(), e.getValue());
                removed++;
            }
        }
        while (index.size() > MAX_FILES) {
            Map.Entry<Long, Long> oldest = index.firstEntry(); // ids grow with time
            delete(oldest.getKey(), oldest.getValue());
            removed++;
        }
        return removed;
    }

    /** How many snapshots are kept. */
    public int size() {
        return index.size();
    }

    private boolean expired(long millis) {
        return !enabled() || Instant.ofEpochMilli(millis).isBefore(clock.instant().minus(keep));
    }

    private void delete(long eventId, long millis) {
        index.remove(eventId);
        try {
            Files.deleteIfExists(dir.resolve(name(eventId, millis)));
        } catch (IOException e) {
            log.warn("snapshots: cannot delete the snapshot of event {}: {}", eventId, e.getMessage());
        }
    }

    private void scan() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) index.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                else Files.deleteIfExists(file); // a write cut short (.tmp), or not ours to keep in a private folder
            }
        }
    }

    private static String name(long eventId, long millis) {
        return eventId + "-" + millis + ".snap";
    }

    private byte[] seal(long eventId, long millis, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(eventId, millis));
            byte[] body = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + body.length).put(LAYOUT).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
        }
    }

    private byte[] open(long eventId, long millis, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != LAYOUT) throw new AEADBadTagException("unknown layout");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(aad(eventId, millis));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
        }
    }

    private static byte[] aad(long eventId, long millis) {
        return ("doorman-snapshot " + eventId + " " + millis).getBytes(StandardCharsets.US_ASCII);
    }

    /** The key, made (0600 from its first byte) when absent; a damaged one is replaced and the old snapshots go. */
    private static byte[] loadKey(Path file, Path dir) throws IOException {
        try {
            byte[] key = Files.readAllBytes(file);
            if (key.length == KEY_BYTES) return key;
            log.warn("snapshots: {} is damaged ({} bytes); making a new key and deleting the old snapshots", file, key.length);
            Files.delete(file);
        } catch (NoSuchFileException absent) {
            // first start, or the key was deleted: snapshots sealed with a lost key can never open
        }
        deleteAll(dir);
        DataDirectory.secure(dir);
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path temp = file.resolveSibling(KEY_FILE + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, DataDirectory.OWNER_ONLY_FILE);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(key));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return key;
    }

    private static void deleteAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) Files.deleteIfExists(file);
        }
    }
}
