package doorman.gallery;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The gallery's keys, kept in {@code gallery.keys} beside (never inside) {@code gallery.db}, mode 0600: one key
 * that turns names into index entries, and one AES-256 key per person that seals the person's name, schedule
 * and templates. Removing a person deletes their key from this small file (rewritten whole and renamed into
 * place), so the sealed copies MapDB may leave in the free space of {@code gallery.db} can never be read
 * again: crypto-shredding. A copied {@code gallery.db} without this file reveals nothing.
 * <p>
 * The file ends with a SHA-256 of its contents so a damaged key file is refused rather than half-read. The keys
 * are never logged or printed; this class has no {@code toString} that would show them.
 */
final class GalleryKeys {

    static final String FILE = "gallery.keys";
    private static final byte[] MAGIC = "doorman-gallery-keys-1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int KEY_BYTES = 32;
    private static final int MAX_PEOPLE = 1_000_000;

    private final Path file;
    private final SecureRandom random;
    private final byte[] indexKey;
    private final Map<Long, byte[]> personKeys;

    private GalleryKeys(Path file, SecureRandom random, byte[] indexKey, Map<Long, byte[]> personKeys) {
        this.file = file;
        this.random = random;
        this.indexKey = indexKey;
        this.personKeys = personKeys;
    }

    /** Loads the key file in {@code dir}, making it (with a new index key) when {@code create} and it is absent. */
    static GalleryKeys load(Path dir, boolean create) {
        Path file = dir.resolve(FILE);
        SecureRandom random = new SecureRandom();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException absent) {
            if (!create)
                throw new GalleryException("the gallery's key file " + file + " is missing, so the enrolled people cannot be read;"
                        + " restore it from the backup you made of it (it is kept apart from gallery.db on purpose)");
            byte[] indexKey = new byte[KEY_BYTES];
            random.nextBytes(indexKey);
            GalleryKeys keys = new GalleryKeys(file, random, indexKey, new TreeMap<>());
            keys.save();
            return keys;
        } catch (IOException e) {
            throw new GalleryException("cannot read the gallery's key file " + file + ": " + e.getMessage(), e);
        }
        return parse(file, random, bytes);
    }

    /** A new set of keys (index key and one per person) for {@code file}, not yet written: see {@link #saveNow}. */
    static GalleryKeys fresh(Path file, Set<Long> personIds) {
        SecureRandom random = new SecureRandom();
        byte[] indexKey = new byte[KEY_BYTES];
        random.nextBytes(indexKey);
        Map<Long, byte[]> keys = new TreeMap<>();
        for (long id : personIds) {
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            keys.put(id, key);
        }
        return new GalleryKeys(file, random, indexKey, keys);
    }

    /** Writes the file now (whole, synced, renamed into place). */
    synchronized void saveNow() {
        save();
    }

    private static GalleryKeys parse(Path file, SecureRandom random, byte[] bytes) {
        int bodyLength = bytes.length - KEY_BYTES;
        if (bodyLength < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || !MessageDigest.isEqual(sha256(bytes, bodyLength), Arrays.copyOfRange(bytes, bodyLength, bytes.length)))
            throw damagedKeys(file, "wrong header or checksum");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bodyLength - MAGIC.length))) {
            byte[] indexKey = in.readNBytes(KEY_BYTES);
            int count = in.readInt();
            if (indexKey.length != KEY_BYTES || count < 0 || count > MAX_PEOPLE) throw damagedKeys(file, "bad counts");
            Map<Long, byte[]> keys = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                long id = in.readLong();
                byte[] key = in.readNBytes(KEY_BYTES);
                if (key.length != KEY_BYTES) throw damagedKeys(file, "truncated");
                keys.put(id, key);
            }
            if (in.available() != 0) throw damagedKeys(file, "trailing bytes");
            return new GalleryKeys(file, random, indexKey, keys);
        } catch (IOException e) {
            throw damagedKeys(file, e.getMessage());
        }
    }

    private static GalleryException damagedKeys(Path file, String why) {
        return new GalleryException("the gallery's key file " + file + " is damaged (" + why + "); restore it from a backup");
    }

    Path path() {
        return file;
    }

    byte[] indexKey() {
        return indexKey;
    }

    synchronized Optional<byte[]> personKey(long personId) {
        return Optional.ofNullable(personKeys.get(personId));
    }

    /** Makes and durably stores a fresh key for a new person (before their records are committed). */
    synchronized byte[] newPersonKey(long personId) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        byte[] previous = personKeys.put(personId, key);
        try {
            save();
        } catch (RuntimeException e) {
            if (previous == null) personKeys.remove(personId);
            else personKeys.put(personId, previous);
            throw e;
        }
        return key;
    }

    /** Forgets a removed person's key for good (call after the removal committed). */
    synchronized void forget(long personId) {
        byte[] key = personKeys.remove(personId);
        if (key == null) return;
        Arrays.fill(key, (byte) 0);
        save();
    }

    /** Drops keys of people the store no longer holds (left by a crash between the two files' writes). */
    synchronized int retainOnly(Set<Long> personIds) {
        int before = personKeys.size();
        personKeys.keySet().removeIf(id -> !personIds.contains(id));
        if (personKeys.size() != before) save();
        return before - personKeys.size();
    }

    synchronized Set<Long> personIds() {
        return Set.copyOf(personKeys.keySet());
    }

    /** Writes the whole file to a temporary sibling (0600 from creation), syncs it and renames it over the old one. */
    private void save() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(MAGIC);
            out.write(indexKey);
            out.writeInt(personKeys.size());
            for (Map.Entry<Long, byte[]> entry : personKeys.entrySet()) {
                out.writeLong(entry.getKey());
                out.write(entry.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in-memory stream
        }
        byte[] body = buffer.toByteArray();
        byte[] whole = Arrays.copyOf(body, body.length + KEY_BYTES);
        System.arraycopy(sha256(body, body.length), 0, whole, body.length, KEY_BYTES);
        Path temp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.deleteIfExists(temp);
            Files.createFile(temp, DataDirectory.OWNER_ONLY_FILE);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(whole));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            DataDirectory.syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new GalleryException("cannot write the gallery's key file " + file + ": " + DataDirectory.describe(e), e);
        } finally {
            Arrays.fill(whole, (byte) 0);
            Arrays.fill(body, (byte) 0);
        }
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
