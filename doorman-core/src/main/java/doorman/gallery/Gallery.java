package doorman.gallery;

import doorman.embedding.Embedding;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The enrolled people and their templates, in a transactional MapDB file {@code gallery.db}.
 * Every change is one transaction: it commits when the method returns and rolls back when it throws, and
 * MapDB's write-ahead log replays committed changes after a crash. One process at a time may open the store
 * ({@code gallery.lock}); within that process all threads share one instance, which is thread-safe.
 * Unknown ids raise {@link NoSuchElementException}, invalid input {@link IllegalArgumentException}
 * ({@link DuplicateEntryException} for a taken name or an already enrolled photo), store trouble
 * {@link GalleryException}.
 */
public final class Gallery implements AutoCloseable {

    public static final String STORE_FILE = "gallery.db";
    public static final String LOCK_FILE = "gallery.lock";
    /** The on-disk format this build reads and writes; stored under {@code version} in the meta map. */
    public static final int FORMAT_VERSION = 1;

    private static final String META = "meta";
    private static final String VERSION_KEY = "version";
    private static final String NEXT_PERSON_ID = "nextPersonId";
    private static final String NEXT_TEMPLATE_ID = "nextTemplateId";
    private static final String SYNC = "sync";
    private static final Set<String> COLLECTIONS = Set.of(META, "people", "peopleByName", "templates",
            "templatesByPerson", "encoders", "schedules");
    /** Tolerance on |embedding|² = 1: far above float rounding, far below any unnormalised vector. */
    private static final double UNIT_TOLERANCE = 1e-3;

    /** How many people (of which enabled) and templates the gallery holds. */
    public record Counts(int people, int enabledPeople, int templates) {
    }

    /** People and templates read in one consistent view, e.g. to build a matcher. */
    public record Snapshot(List<Person> people, List<Template> templates) {
        public Snapshot {
            people = List.copyOf(people);
            templates = List.copyOf(templates);
        }
    }

    private final Path storeFile;
    private final StoreLock storeLock;
    private final DB db;
    private final BTreeMap<String, Long> meta;
    private final BTreeMap<Long, byte[]> people;
    private final BTreeMap<String, Long> peopleByName;
    private final BTreeMap<Long, byte[]> templates;
    private final BTreeMap<Long, long[]> templatesByPerson;
    /** encoder name -> {embedding dimension, template count}: keeps one dimension per embedding space. */
    private final BTreeMap<String, long[]> encoders;
    private final BTreeMap<Long, String> schedules;
    /** Household sync bookkeeping (doorman.household), opaque here; absent from galleries that never synced. */
    private final BTreeMap<String, byte[]> syncRecords;
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private final java.util.concurrent.atomic.AtomicLong revision = new java.util.concurrent.atomic.AtomicLong();
    private boolean closed;
    /** Runs inside every transaction just before it commits; tests make it throw to prove the rollback. */
    Runnable beforeCommit = () -> { };

    private Gallery(Path storeFile, StoreLock storeLock, DB db) {
        this.storeFile = storeFile;
        this.storeLock = storeLock;
        this.db = db;
        Set<String> existing = new HashSet<>();
        db.getAllNames().forEach(existing::add);
        boolean fresh = existing.isEmpty();
        if (!fresh && !existing.contains(META))
            throw new GalleryException("the file " + storeFile + " is a MapDB store but not a doorman gallery (it holds "
                    + existing + "); point doorman at another data directory");
        meta = db.treeMap(META, Serializer.STRING, Serializer.LONG).createOrOpen();
        people = db.treeMap("people", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        peopleByName = db.treeMap("peopleByName", Serializer.STRING, Serializer.LONG).createOrOpen();
        templates = db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        templatesByPerson = db.treeMap("templatesByPerson", Serializer.LONG, Serializer.LONG_ARRAY).createOrOpen();
        encoders = db.treeMap("encoders", Serializer.STRING, Serializer.LONG_ARRAY).createOrOpen();
        schedules = db.treeMap("schedules", Serializer.LONG, Serializer.STRING).createOrOpen();
        boolean hadSync = existing.contains(SYNC);
        syncRecords = db.treeMap(SYNC, Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        if (!hadSync && !fresh) db.commit();
        if (fresh) {
            meta.put(VERSION_KEY, (long) FORMAT_VERSION);
            meta.put(NEXT_PERSON_ID, 1L);
            meta.put(NEXT_TEMPLATE_ID, 1L);
            db.commit();
        }
        checkFormat();
        checkRecords();
    }

    /**
     * Opens (creating if needed) the gallery in {@code dataDir}. Throws {@link GalleryException} when another
     * process has it open, or when the file is damaged; a damaged file is left exactly as it was.
     */
    public static Gallery open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir;
        try {
            Files.createDirectories(dataDir);
            dir = dataDir.toRealPath();
        } catch (IOException e) {
            throw new GalleryException("cannot use " + dataDir.toAbsolutePath() + " as the data directory: " + e, e);
        }
        Path storeFile = dir.resolve(STORE_FILE);
        StoreLock lock = StoreLock.acquire(dir.resolve(LOCK_FILE), storeFile);
        DB db = null;
        try {
            // gallery.lock already guards the store; MapDB's own lock would outlive a failed open of a
            // damaged file (it does not release it), blocking a retry in this process after a restore
            db = DBMaker.fileDB(storeFile.toFile()).transactionEnable().fileLockDisable().make();
            return new Gallery(storeFile, lock, db);
        } catch (GalleryException e) {
            closeAfterFailedOpen(db, lock, e);
            throw e;
        } catch (DBException.FileLocked e) {
            closeAfterFailedOpen(db, lock, e);
            throw new GalleryException("the store at " + storeFile + " is in use by another process", e);
        } catch (RuntimeException | AssertionError e) {
            // MapDB reports damage as DBException, but a mangled file can also trip its internal checks
            GalleryException damaged = damaged(storeFile, e);
            closeAfterFailedOpen(db, lock, damaged);
            throw damaged;
        }
    }

    private static void closeAfterFailedOpen(DB db, StoreLock lock, Throwable failure) {
        try {
            if (db != null) db.close();
        } catch (RuntimeException | AssertionError e) {
            failure.addSuppressed(e);
        } finally {
            lock.close();
        }
    }

    private static GalleryException damaged(Path storeFile, Throwable cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (cause.getCause() != null && cause.getCause() != cause) reason += " (" + cause.getCause() + ")";
        return new GalleryException("the gallery at " + storeFile + " is damaged or unreadable: " + reason
                + ". Nothing was changed. Restore " + STORE_FILE + " and its " + STORE_FILE + ".wal.* files from a backup,"
                + " or move them aside to start with an empty gallery.", cause);
    }

    private void checkFormat() {
        Long version = meta.get(VERSION_KEY);
        if (version == null)
            throw damaged(storeFile, new IllegalStateException("the format version entry is missing"));
        if (version > FORMAT_VERSION)
            throw new GalleryException("the gallery at " + storeFile + " has format version " + version
                    + " but this doorman reads up to version " + FORMAT_VERSION + "; upgrade doorman");
        if (version < 1 || !COLLECTIONS.stream().allMatch(db::exists) || meta.get(NEXT_PERSON_ID) == null
                || meta.get(NEXT_TEMPLATE_ID) == null)
            throw damaged(storeFile, new IllegalStateException("format version " + version + " with missing parts"));
    }

    /** Decodes every record once so damage shows at start-up, not halfway through someone's enrolment. */
    private void checkRecords() {
        people.forEach(RecordCodec::decodePerson);
        templates.forEach(RecordCodec::decodeTemplate);
        if (peopleByName.size() != people.size() || templatesByPerson.size() != people.size())
            throw damaged(storeFile, new IllegalStateException("the name index disagrees with the people"));
    }

    /** The {@code gallery.db} file this instance works on. */
    public Path path() {
        return storeFile;
    }

    // ---- people ----

    /** Adds an enabled person. The name is trimmed, 1..64 characters, and unique ignoring case. */
    public Person addPerson(String name) {
        String clean = Labels.clean(name, "a person's name");
        String key = Labels.nameKey(clean);
        return write(() -> {
            refuseTakenName(key, -1);
            long id = nextId(NEXT_PERSON_ID);
            Person person = new Person(id, clean, Instant.now(), true);
            people.put(id, RecordCodec.encode(person));
            peopleByName.put(key, id);
            templatesByPerson.put(id, new long[0]);
            return person;
        });
    }

    public Optional<Person> person(long id) {
        return read(() -> Optional.ofNullable(people.get(id)).map(bytes -> RecordCodec.decodePerson(id, bytes)));
    }

    /** Looks a person up by name, ignoring case and surrounding spaces; a name that could never be valid finds nobody. */
    public Optional<Person> findPerson(String name) {
        String key;
        try {
            key = Labels.nameKey(Labels.clean(name, "a person's name"));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
        return read(() -> Optional.ofNullable(peopleByName.get(key)).map(this::existingPerson));
    }

    /** Everyone, by id. */
    public List<Person> people() {
        return read(this::allPeople);
    }

    public Person rename(long personId, String newName) {
        String clean = Labels.clean(newName, "a person's name");
        String key = Labels.nameKey(clean);
        return write(() -> {
            Person old = existingPerson(personId);
            refuseTakenName(key, personId);
            peopleByName.remove(Labels.nameKey(old.name()));
            peopleByName.put(key, personId);
            Person renamed = new Person(personId, clean, old.created(), old.enabled());
            people.put(personId, RecordCodec.encode(renamed));
            return renamed;
        });
    }

    public Person setEnabled(long personId, boolean enabled) {
        return write(() -> {
            Person old = existingPerson(personId);
            Person changed = new Person(personId, old.name(), old.created(), enabled);
            people.put(personId, RecordCodec.encode(changed));
            return changed;
        });
    }

    /**
     * When the door may open for a person, as text the policy parses (e.g. {@code mon-fri 08:00-18:00});
     * empty means at any time. The gallery stores it; checking its form is the caller's job.
     */
    public Optional<String> schedule(long personId) {
        return read(() -> {
            existingPerson(personId);
            return Optional.ofNullable(schedules.get(personId));
        });
    }

    /** Sets a person's schedule; null or blank means at any time. */
    public void setSchedule(long personId, String schedule) {
        write(() -> {
            existingPerson(personId);
            if (schedule == null || schedule.isBlank()) schedules.remove(personId);
            else schedules.put(personId, schedule.trim());
            return null;
        });
    }

    /** Removes a person with all their templates in one transaction; returns how many templates went with them. */
    public int removePerson(long personId) {
        return write(() -> {
            Person person = existingPerson(personId);
            long[] templateIds = templatesByPerson.get(personId);
            for (long templateId : templateIds) dropTemplate(templateId);
            templatesByPerson.remove(personId);
            schedules.remove(personId);
            peopleByName.remove(Labels.nameKey(person.name()));
            people.remove(personId);
            return templateIds.length;
        });
    }

    // ---- templates ----

    /**
     * Stores one enrolled photo's embedding for a person. {@code embedding} must be L2-normalised and have the
     * dimension of any other template of the same {@code encoder}; {@code sourceSha256} is the photo's hash
     * (64 hex digits). A person cannot hold two templates of the same photo and encoder; the same photo may be
     * stored once per encoder so that enrolments can be re-encoded when the encoder changes.
     */
    public Template addTemplate(long personId, Embedding embedding, String encoder, String sourceSha256, double quality) {
        Objects.requireNonNull(embedding, "embedding");
        String cleanEncoder = Labels.clean(encoder, "the encoder name");
        String sha = Labels.sha256(sourceSha256);
        if (!Double.isFinite(quality)) throw new IllegalArgumentException("quality must be a finite number, got " + quality);
        requireUnitLength(embedding);
        return write(() -> {
            Person person = existingPerson(personId);
            long[] ids = templatesByPerson.get(personId);
            for (long id : ids) {
                Template other = existingTemplate(id);
                if (other.sourceSha256().equals(sha) && other.encoder().equals(cleanEncoder))
                    throw new DuplicateEntryException("person " + personId + " (" + person.name() + ") already has template "
                            + id + " from the photo with SHA-256 " + sha + " for encoder " + cleanEncoder);
            }
            long[] space = encoders.get(cleanEncoder);
            if (space != null && space[0] != embedding.dimension())
                throw new IllegalArgumentException("encoder " + cleanEncoder + " makes " + space[0]
                        + "-value embeddings but this one has " + embedding.dimension());
            long id = nextId(NEXT_TEMPLATE_ID);
            Template template = new Template(id, personId, embedding, cleanEncoder, sha, quality, Instant.now());
            templates.put(id, RecordCodec.encode(template));
            long[] grown = Arrays.copyOf(ids, ids.length + 1);
            grown[ids.length] = id;
            templatesByPerson.put(personId, grown);
            encoders.put(cleanEncoder, new long[]{embedding.dimension(), space == null ? 1 : space[1] + 1});
            return template;
        });
    }

    public Optional<Template> template(long id) {
        return read(() -> Optional.ofNullable(templates.get(id)).map(bytes -> RecordCodec.decodeTemplate(id, bytes)));
    }

    /** A person's templates, by id. */
    public List<Template> templates(long personId) {
        return read(() -> {
            long[] ids = templatesByPerson.get(personId);
            if (ids == null) throw noPerson(personId);
            List<Template> result = new ArrayList<>(ids.length);
            for (long id : ids) result.add(existingTemplate(id));
            return result;
        });
    }

    /** Every template of every person, by id. */
    public List<Template> templates() {
        return read(this::allTemplates);
    }

    /** Removes one template and returns it. */
    public Template removeTemplate(long templateId) {
        return write(() -> dropTemplate(templateId));
    }

    // ---- several changes at once, and the household sync's bookkeeping ----

    /**
     * Runs {@code work}, which may call any of this gallery's methods, as one transaction: everything it changed
     * commits when it returns and rolls back when it throws. {@code work} must not catch this gallery's exceptions
     * and carry on, or the part before the exception would commit with the rest.
     */
    public <T> T transaction(Supplier<T> work) {
        return write(work);
    }

    /** The sync record stored under {@code key}, if any. */
    public Optional<byte[]> syncRecord(String key) {
        return read(() -> Optional.ofNullable(syncRecords.get(key)));
    }

    /** Every sync record, by key. */
    public Map<String, byte[]> syncRecords() {
        return read(() -> new TreeMap<>(syncRecords));
    }

    /** Stores a sync record (inside a {@link #transaction}, together with the change it describes). */
    public void putSyncRecord(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        write(() -> syncRecords.put(Labels.clean(key, "a sync key"), value.clone()));
    }

    // ---- summaries ----

    public Counts counts() {
        return read(() -> {
            int enabled = (int) allPeople().stream().filter(Person::enabled).count();
            return new Counts(people.size(), enabled, templates.size());
        });
    }

    /** Template count per encoder name, sorted by name. */
    public Map<String, Integer> templateCountByEncoder() {
        return read(() -> {
            Map<String, Integer> counts = new TreeMap<>();
            encoders.forEach((name, space) -> counts.put(name, (int) space[1]));
            return counts;
        });
    }

    public Snapshot snapshot() {
        return read(() -> new Snapshot(allPeople(), allTemplates()));
    }

    /** Commits nothing new (every change already committed); closes the store and releases the lock. Idempotent. */
    @Override
    public void close() {
        Lock writeLock = guard.writeLock();
        writeLock.lock();
        try {
            if (closed) return;
            closed = true;
            try {
                db.close();
            } finally {
                storeLock.close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    // ---- internals; callers hold the guard ----

    private List<Person> allPeople() {
        List<Person> result = new ArrayList<>(people.size());
        people.forEach((id, bytes) -> result.add(RecordCodec.decodePerson(id, bytes)));
        return result;
    }

    private List<Template> allTemplates() {
        List<Template> result = new ArrayList<>(templates.size());
        templates.forEach((id, bytes) -> result.add(RecordCodec.decodeTemplate(id, bytes)));
        return result;
    }

    private Person existingPerson(long id) {
        byte[] bytes = people.get(id);
        if (bytes == null) throw noPerson(id);
        return RecordCodec.decodePerson(id, bytes);
    }

    private Template existingTemplate(long id) {
        byte[] bytes = templates.get(id);
        if (bytes == null) throw new NoSuchElementException("no template with id " + id);
        return RecordCodec.decodeTemplate(id, bytes);
    }

    private static NoSuchElementException noPerson(long id) {
        return new NoSuchElementException("no person with id " + id);
    }

    private void refuseTakenName(String key, long allowedOwner) {
        Long owner = peopleByName.get(key);
        if (owner != null && owner != allowedOwner)
            throw new DuplicateEntryException("the name \"" + existingPerson(owner).name() + "\" is already taken by person "
                    + owner + " (names are compared ignoring case)");
    }

    private Template dropTemplate(long templateId) {
        Template template = existingTemplate(templateId);
        templates.remove(templateId);
        long[] ids = templatesByPerson.get(template.personId());
        templatesByPerson.put(template.personId(), Arrays.stream(ids).filter(id -> id != templateId).toArray());
        long[] space = encoders.get(template.encoder());
        if (space[1] <= 1) encoders.remove(template.encoder());
        else encoders.put(template.encoder(), new long[]{space[0], space[1] - 1});
        return template;
    }

    private long nextId(String counter) {
        long id = meta.get(counter);
        meta.put(counter, id + 1);
        return id;
    }

    private static void requireUnitLength(Embedding embedding) {
        double sum = 0;
        for (float v : embedding.values()) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("the embedding holds a non-finite value");
            sum += (double) v * v;
        }
        if (embedding.dimension() == 0 || Math.abs(sum - 1) > UNIT_TOLERANCE)
            throw new IllegalArgumentException("the embedding must be L2-normalised (its squared length is " + sum + ")");
    }

    private <T> T read(Supplier<T> query) {
        Lock readLock = guard.readLock();
        readLock.lock();
        try {
            requireOpen();
            return query.get();
        } catch (DBException | RecordCodec.UnreadableRecord e) {
            throw storeFailure(e);
        } finally {
            readLock.unlock();
        }
    }

    /** Grows with every committed change in this process, so readers can tell when to rebuild what they derived. */
    public long revision() {
        return revision.get();
    }

    private <T> T write(Supplier<T> change) {
        if (guard.isWriteLockedByCurrentThread()) {
            requireOpen();
            return change.get(); // inside transaction(): the outermost write commits or rolls back
        }
        Lock writeLock = guard.writeLock();
        writeLock.lock();
        try {
            requireOpen();
            try {
                T result = change.get();
                beforeCommit.run();
                db.commit();
                revision.incrementAndGet();
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    db.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                if (e instanceof DBException || e instanceof RecordCodec.UnreadableRecord) throw storeFailure(e);
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private GalleryException storeFailure(Throwable e) {
        return new GalleryException("the gallery at " + storeFile + " failed: " + e.getMessage(), e);
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the gallery at " + storeFile + " is closed");
    }
}
