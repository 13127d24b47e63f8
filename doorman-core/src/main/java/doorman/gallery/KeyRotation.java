package doorman.gallery;

import org.mapdb.DB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Re-seals the whole gallery under fresh keys: a new index key and a new key per person. Everything is written to a
 * <em>new</em> store file, so the old file, whose free space may still hold sealed copies of removed or changed
 * records, goes away whole; only then are the new store and key file swapped in.
 * <p>
 * Crash safety rests on one marker file, {@code gallery.rotation}, written atomically once the new pair
 * ({@code gallery.db.new}, {@code gallery.keys.new}) is complete and on disk. Before the marker the old pair is the
 * gallery and leftovers of the new one are deleted at the next open; from the marker on the new pair is the gallery
 * and the next open finishes the renames. Either way the gallery opens with one complete, matching pair.
 */
public final class KeyRotation {

    static final String NEW_STORE = Gallery.STORE_FILE + ".new";
    static final String NEW_KEYS = GalleryKeys.FILE + ".new";
    static final String MARKER = "gallery.rotation";

    /** What a rotation re-sealed. */
    public record Result(int people, int templates) {
    }

    /** The points of a rotation where a test injects a failure (a crash there leaves what the step names). */
    enum Step { NEW_STORE_WRITTEN, NEW_KEYS_WRITTEN, MARKER_WRITTEN, OLD_LOG_DELETED, STORE_SWAPPED, KEYS_SWAPPED }

    /** The old gallery's records and keys, as the open gallery holds them. */
    record Source(Map<String, Long> meta, Map<Long, byte[]> people, Map<Long, long[]> templatesByPerson,
                  Map<Long, byte[]> templates, Map<String, long[]> encoders, Map<Long, byte[]> schedules,
                  Map<String, byte[]> sync, Map<Long, byte[]> thumbnails, GalleryKeys keys) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    private KeyRotation() {
    }

    /** Rotates the keys of the gallery in {@code dataDir}; refused while another process has it open. */
    public static Result rotate(Path dataDir) {
        try (Gallery gallery = Gallery.open(dataDir)) {
            return gallery.rotateKeys(step -> { });
        }
    }

    /**
     * Writes the new store and key file from {@code source}, each complete and synced, next to the old pair.
     * Nothing the gallery reads changes yet.
     */
    static Result writeNewPair(Path dir, Source source, Consumer<Step> at) {
        deleteLeftovers(dir);
        GalleryKeys fresh = GalleryKeys.fresh(dir.resolve(NEW_KEYS), source.people().keySet());
        Path newStore = dir.resolve(NEW_STORE);
        int templateCount = 0;
        DB db = DBMaker.fileDB(newStore.toFile()).transactionEnable().fileLockDisable().make();
        try {
            db.treeMap("meta", Serializer.STRING, Serializer.LONG).create().putAll(source.meta());
            Map<Long, byte[]> people = db.treeMap("people", Serializer.LONG, Serializer.BYTE_ARRAY).create();
            Map<String, Long> byName = db.treeMap("peopleByName", Serializer.STRING, Serializer.LONG).create();
            for (Map.Entry<Long, byte[]> e : source.people().entrySet()) {
                long id = e.getKey();
                byte[] plain = RecordSeal.openPerson(id, oldKey(source, id), e.getValue());
                Person person = RecordCodec.decodePerson(id, plain);
                byName.put(RecordSeal.nameIndexKey(fresh.indexKey(), Labels.nameKey(person.name())), id);
                people.put(id, RecordSeal.sealPerson(id, newKey(fresh, id), plain));
            }
            Map<Long, byte[]> templates = db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).create();
            for (Map.Entry<Long, byte[]> e : source.templates().entrySet()) {
                long owner = RecordSeal.templateOwner(e.getValue());
                byte[] plain = RecordSeal.openTemplate(e.getKey(), oldKey(source, owner), e.getValue());
                templates.put(e.getKey(), RecordSeal.sealTemplate(e.getKey(), owner, newKey(fresh, owner), plain));
                templateCount++;
            }
            Map<Long, byte[]> schedules = db.treeMap("schedules", Serializer.LONG, Serializer.BYTE_ARRAY).create();
            for (Map.Entry<Long, byte[]> e : source.schedules().entrySet()) {
                String schedule = RecordSeal.openSchedule(e.getKey(), oldKey(source, e.getKey()), e.getValue());
                schedules.put(e.getKey(), RecordSeal.sealSchedule(e.getKey(), newKey(fresh, e.getKey()), schedule));
            }
            Map<Long, byte[]> thumbnails = db.treeMap("thumbnails", Serializer.LONG, Serializer.BYTE_ARRAY).create();
            for (Map.Entry<Long, byte[]> e : source.thumbnails().entrySet()) {
                // a picture decides nothing: one that no longer opens is left behind rather than stopping the rotation
                try {
                    long owner = RecordSeal.templateOwner(e.getValue());
                    byte[] jpeg = RecordSeal.openThumbnail(e.getKey(), oldKey(source, owner), e.getValue());
                    thumbnails.put(e.getKey(), RecordSeal.sealThumbnail(e.getKey(), owner, newKey(fresh, owner), jpeg));
                } catch (RecordSeal.BrokenSeal | RuntimeException unreadable) {
                    LOG.warn("gallery: the thumbnail of template {} does not open ({}); it is not carried over",
                            e.getKey(), unreadable.getMessage());
                }
            }
            db.treeMap("templatesByPerson", Serializer.LONG, Serializer.LONG_ARRAY).create().putAll(source.templatesByPerson());
            db.treeMap("encoders", Serializer.STRING, Serializer.LONG_ARRAY).create().putAll(source.encoders());
            // household sync bookkeeping is sealed with the household's key, not the gallery's: copied as it is
            db.treeMap("sync", Serializer.STRING, Serializer.BYTE_ARRAY).create().putAll(source.sync());
            db.commit();
        } catch (RecordSeal.BrokenSeal e) {
            throw new GalleryException("cannot rotate the keys: a record does not open with its key (" + e.getMessage()
                    + "); nothing was changed", e);
        } finally {
            db.close();
        }
        sync(newStore);
        try {
            DataDirectory.tightenFiles(dir);
        } catch (IOException e) {
            throw new GalleryException("cannot make " + newStore + " private: " + DataDirectory.describe(e), e);
        }
        at.accept(Step.NEW_STORE_WRITTEN);
        fresh.saveNow();
        at.accept(Step.NEW_KEYS_WRITTEN);
        return new Result(source.people().size(), templateCount);
    }

    /**
     * Makes the new pair the gallery. The caller has closed the old store and still holds the store lock. From the
     * marker on, {@link #recover} finishes this if it is interrupted.
     */
    static void swap(Path dir, Consumer<Step> at) {
        try {
            writeAtomically(dir.resolve(MARKER), "doorman key rotation: gallery.db.new and gallery.keys.new replace the old pair\n");
            at.accept(Step.MARKER_WRITTEN);
            finish(dir, at);
        } catch (IOException e) {
            throw new GalleryException("cannot swap in the rotated gallery in " + dir + ": " + DataDirectory.describe(e)
                    + "; the next start finishes or undoes it", e);
        }
    }

    /**
     * Run at every open, holding the store lock and before the store is read: finishes a rotation that reached its
     * marker, and deletes the half-written new pair of one that did not.
     */
    static void recover(Path dir) {
        try {
            if (Files.exists(dir.resolve(MARKER))) finish(dir, step -> { });
            else deleteLeftovers(dir);
        } catch (IOException e) {
            throw new GalleryException("cannot finish an interrupted key rotation in " + dir + ": " + DataDirectory.describe(e), e);
        }
    }

    private static void finish(Path dir, Consumer<Step> at) throws IOException {
        Path newStore = dir.resolve(NEW_STORE);
        if (Files.exists(newStore)) {
            // the old store's write-ahead log must not be replayed onto the new file
            for (Path log : walFiles(dir, Gallery.STORE_FILE)) Files.delete(log);
            at.accept(Step.OLD_LOG_DELETED);
            Files.move(newStore, dir.resolve(Gallery.STORE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DataDirectory.syncDirectory(dir);
        }
        at.accept(Step.STORE_SWAPPED);
        Path newKeys = dir.resolve(NEW_KEYS);
        if (Files.exists(newKeys)) {
            Files.move(newKeys, dir.resolve(GalleryKeys.FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DataDirectory.syncDirectory(dir);
        }
        at.accept(Step.KEYS_SWAPPED);
        Files.deleteIfExists(dir.resolve(MARKER));
        DataDirectory.syncDirectory(dir);
    }

    private static void deleteLeftovers(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(NEW_STORE));
            for (Path log : walFiles(dir, NEW_STORE)) Files.delete(log);
            Files.deleteIfExists(dir.resolve(NEW_KEYS));
        } catch (IOException e) {
            throw new GalleryException("cannot delete the remains of an interrupted key rotation in " + dir + ": "
                    + DataDirectory.describe(e), e);
        }
    }

    /**
     * MapDB's write-ahead log files of {@code store}: {@code store.wal.0}, {@code store.wal.1}, ...; not the torn logs
     * kept aside for inspection ({@link TornLog}), which MapDB no longer reads.
     */
    static Set<Path> walFiles(Path dir, String store) throws IOException {
        Set<Path> found = new java.util.TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, store + ".wal.*")) {
            for (Path f : files) if (!f.getFileName().toString().contains(TornLog.SUFFIX)) found.add(f);
        }
        return found;
    }

    private static byte[] oldKey(Source source, long personId) {
        return source.keys().personKey(personId).orElseThrow(() ->
                new GalleryException("cannot rotate the keys: person " + personId + " has no key; nothing was changed"));
    }

    private static byte[] newKey(GalleryKeys fresh, long personId) {
        return fresh.personKey(personId).orElseThrow();
    }

    private static void sync(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new GalleryException("cannot write the rotated gallery " + file + ": " + DataDirectory.describe(e), e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, DataDirectory.OWNER_ONLY_FILE);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DataDirectory.syncDirectory(file.getParent());
    }
}
