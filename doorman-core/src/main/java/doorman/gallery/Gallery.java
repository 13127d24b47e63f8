package doorman.gallery;

import doorman.embedding.Embedding;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * <p>
 * Names, schedules and templates are sealed with AES-GCM under a per-person key kept in {@code gallery.keys}
 * ({@link GalleryKeys}); the name index holds keyed hashes. Every record is checked when the gallery opens
 * (integrity tag, ids, finite unit-length embeddings of the encoder's dimension, index agreement). A record that
 * fails is quarantined: reported by {@link #quarantined()}, left in the file for inspection, and never listed or
 * matched; a person with any bad record is quarantined whole, so a damaged template can neither open the door
 * nor go unnoticed. Removing a quarantined person is allowed and clears it.
 * Unknown ids raise {@link NoSuchElementException}, invalid input {@link IllegalArgumentException}
 * ({@link DuplicateEntryException} for a taken name or an already enrolled photo), store trouble
 * {@link GalleryException}.
 */
public final class Gallery implements AutoCloseable {

    public static final String STORE_FILE = "gallery.db";
    public static final String LOCK_FILE = "gallery.lock";
    /** The on-disk format this build reads and writes; stored under {@code version} in the meta map. */
    public static final int FORMAT_VERSION = 2;

    private static final String META = "meta";
    private static final String VERSION_KEY = "version";
    private static final String NEXT_PERSON_ID = "nextPersonId";
    private static final String NEXT_TEMPLATE_ID = "nextTemplateId";
    private static final String SYNC = "sync";
    /** Template id -> the sealed thumbnail of its face; absent from galleries made before thumbnails. */
    private static final String THUMBNAILS = "thumbnails";
    /** A thumbnail is a few KB; anything far larger is not one. */
    public static final int MAX_THUMBNAIL_BYTES = 64 * 1024;
    private static final Set<String> COLLECTIONS = Set.of(META, "people", "peopleByName", "templates",
            "templatesByPerson", "encoders", "schedules");
    /** Tolerance on |embedding|² = 1: far above float rounding, far below any unnormalised vector. */
    private static final double UNIT_TOLERANCE = 1e-3;

    private static final Logger LOG = LoggerFactory.getLogger(Gallery.class);

    /** A record refused when the gallery opened: which one ({@code person 3}, {@code template 17}) and why. */
    public record Quarantined(String record, String reason) {
        public String line() {
            return "gallery: quarantined " + record + ": " + reason + "; it will never match (remove and re-enroll the person)";
        }
    }

    /** The outcome of {@link #enroll}: the person (new or existing), the templates stored, photos already held. */
    public record Enrolment(Person person, List<Template> added, List<String> skippedSha256) {
        public Enrolment {
            added = List.copyOf(added);
            skippedSha256 = List.copyOf(skippedSha256);
        }
    }

    /** One photo's embedding to store, with the JPEG thumbnail of its face (null: none kept). */
    public record TemplateInput(Embedding embedding, String encoder, String sourceSha256, double quality, byte[] thumbnail) {
        public TemplateInput {
            Objects.requireNonNull(embedding, "embedding");
            if (thumbnail != null && (thumbnail.length == 0 || thumbnail.length > MAX_THUMBNAIL_BYTES))
                throw new IllegalArgumentException("a thumbnail must hold 1 to " + MAX_THUMBNAIL_BYTES + " bytes, got " + thumbnail.length);
        }

        public TemplateInput(Embedding embedding, String encoder, String sourceSha256, double quality) {
            this(embedding, encoder, sourceSha256, quality, null);
        }
    }

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
    private final BTreeMap<Long, byte[]> schedules;
    private final BTreeMap<Long, byte[]> thumbnails;
    private final GalleryKeys keys;
    private final Set<Long> quarantinedPeople = new HashSet<>();
    private final Set<Long> quarantinedTemplates = new HashSet<>();
    private final Map<String, String> quarantine = new LinkedHashMap<>();
    private final List<String> repairs = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Household sync bookkeeping (doorman.household), opaque here; absent from galleries that never synced. */
    private final BTreeMap<String, byte[]> syncRecords;
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private final java.util.concurrent.atomic.AtomicLong revision = new java.util.concurrent.atomic.AtomicLong();
    private boolean closed;
    /** Runs inside every transaction just before it commits; tests make it throw to prove the rollback. */
    Runnable beforeCommit = () -> { };

    private Gallery(Path storeFile, StoreLock storeLock, DB db, boolean mayCreateKeys) {
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
        Long storedVersion = meta.get(VERSION_KEY);
        if (!fresh && storedVersion != null && storedVersion == 1)
            throw new GalleryException("the gallery at " + storeFile + " has format version 1, which kept names and templates"
                    + " in clear; this doorman keeps them encrypted (version 2). Move " + STORE_FILE + " aside (and shred it)"
                    + " and enroll the people again");
        if (storedVersion != null && storedVersion > FORMAT_VERSION) checkFormat();
        people = db.treeMap("people", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        peopleByName = db.treeMap("peopleByName", Serializer.STRING, Serializer.LONG).createOrOpen();
        templates = db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        templatesByPerson = db.treeMap("templatesByPerson", Serializer.LONG, Serializer.LONG_ARRAY).createOrOpen();
        encoders = db.treeMap("encoders", Serializer.STRING, Serializer.LONG_ARRAY).createOrOpen();
        schedules = db.treeMap("schedules", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        keys = GalleryKeys.load(storeFile.getParent(), fresh || mayCreateKeys);
        boolean hadSync = existing.contains(SYNC);
        syncRecords = db.treeMap(SYNC, Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        boolean hadThumbnails = existing.contains(THUMBNAILS);
        thumbnails = db.treeMap(THUMBNAILS, Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        if ((!hadSync || !hadThumbnails) && !fresh) db.commit();
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
        return open(dataDir, Gallery::makeStore);
    }

    /** As {@link #open(Path)}, with the MapDB opener replaceable so a test can make the log's replay fail. */
    static Gallery open(Path dataDir, java.util.function.Function<Path, DB> makeStore) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir;
        try {
            dir = DataDirectory.secure(dataDir);
        } catch (IOException e) {
            throw new GalleryException("cannot use " + dataDir.toAbsolutePath() + " as the data directory: " + DataDirectory.describe(e), e);
        }
        Path storeFile = dir.resolve(STORE_FILE);
        boolean newStore = !Files.exists(storeFile);
        StoreLock lock = StoreLock.acquire(dir.resolve(LOCK_FILE), storeFile);
        DB db = null;
        try {
            KeyRotation.recover(dir); // an interrupted key rotation is finished or undone before anything is read
            OpenedStore opened = openStore(storeFile, makeStore);
            db = opened.db();
            Gallery gallery;
            try {
                gallery = new Gallery(storeFile, lock, db, newStore);
            } catch (RuntimeException | AssertionError e) {
                if (opened.tornLog() != null) { // not the log's fault after all: leave everything as found
                    db.close();
                    db = null;
                    opened.tornLog().restore();
                }
                throw e;
            }
            if (opened.tornLog() != null) {
                String line = opened.tornLog().describe();
                LOG.error(line);
                gallery.repairs.add(line);
            }
            gallery.tightenPermissions();
            return gallery;
        } catch (GalleryException e) {
            closeAfterFailedOpen(db, lock, e);
            throw e;
        } catch (DBException.FileLocked e) {
            closeAfterFailedOpen(db, lock, e);
            throw new GalleryException("the store at " + storeFile + " is in use by another process", e);
        } catch (IOException e) { // setting a torn log aside, or putting it back
            GalleryException failed = new GalleryException("cannot open the gallery at " + storeFile + ": its write-ahead log"
                    + " could not be moved: " + DataDirectory.describe(e), e);
            closeAfterFailedOpen(db, lock, failed);
            throw failed;
        } catch (RuntimeException | AssertionError | OutOfMemoryError e) {
            // MapDB reports damage as DBException, but a mangled file can also trip its internal checks
            GalleryException damaged = damaged(storeFile, e);
            closeAfterFailedOpen(db, lock, damaged);
            throw damaged;
        }
    }

    /** MapDB's store, and the write-ahead log set aside to open it (null: none was). */
    private record OpenedStore(DB db, TornLog tornLog) {
    }

    /** Opens the store; when MapDB refuses it and a write-ahead log is there, once more without the log (see TornLog). */
    private static OpenedStore openStore(Path storeFile, java.util.function.Function<Path, DB> makeStore) throws IOException {
        try {
            return new OpenedStore(makeStore.apply(storeFile), null);
        } catch (DBException.FileLocked e) {
            throw e;
        } catch (RuntimeException | AssertionError e) {
            TornLog torn = TornLog.setAside(storeFile, System.currentTimeMillis(), e);
            if (torn.isEmpty()) throw e;
            try {
                return new OpenedStore(makeStore.apply(storeFile), torn);
            } catch (RuntimeException | AssertionError again) {
                torn.restore();
                e.addSuppressed(again);
                throw e;
            }
        }
    }

    private static DB makeStore(Path storeFile) {
        // gallery.lock already guards the store; MapDB's own lock would outlive a failed open of a
        // damaged file (it does not release it), blocking a retry in this process after a restore
        return DBMaker.fileDB(storeFile.toFile()).transactionEnable().fileLockDisable().make();
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
        if (DataDirectory.describe(cause).startsWith("the disk"))
            return new GalleryException("cannot open the gallery at " + storeFile + ": " + DataDirectory.describe(cause)
                    + "; free some space and start again", cause);
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
        if (version < FORMAT_VERSION) throw damaged(storeFile, new IllegalStateException("format version " + version));
        if (version < 1 || !COLLECTIONS.stream().allMatch(db::exists) || meta.get(NEXT_PERSON_ID) == null
                || meta.get(NEXT_TEMPLATE_ID) == null)
            throw damaged(storeFile, new IllegalStateException("format version " + version + " with missing parts"));
    }

    /**
     * Opens and checks every record once, so damage shows at start-up, not halfway through someone's enrolment
     * and never as a silently changed template. Damage that would make ids be reused refuses the whole store.
     */
    private void checkRecords() {
        Map<Long, Person> good = new HashMap<>();
        people.forEach((id, sealed) -> {
            try {
                good.put(id, decodePerson(id, sealed));
            } catch (RecordCodec.UnreadableRecord bad) {
                quarantinePerson(id, bad.getMessage());
            }
        });
        Map<String, Long> expectedIndex = new HashMap<>();
        good.forEach((id, person) -> expectedIndex.put(nameIndex(person.name()), id));
        peopleByName.forEach((entry, id) -> {
            if (!id.equals(expectedIndex.get(entry)))
                quarantinePerson(id, "the name index holds an entry for this id that matches no enrolled name");
        });
        expectedIndex.forEach((entry, id) -> {
            if (!id.equals(peopleByName.get(entry))) quarantinePerson(id, "the name index does not lead to this person");
        });
        schedules.forEach((id, sealed) -> {
            if (!people.containsKey(id)) quarantinePerson(id, "a schedule exists for a person who does not");
            else if (!quarantinedPeople.contains(id)) {
                try {
                    RecordSeal.openSchedule(id, personKey(id), sealed);
                } catch (RecordSeal.BrokenSeal | RecordCodec.UnreadableRecord bad) {
                    quarantinePerson(id, "the schedule is unreadable: " + bad.getMessage());
                }
            }
        });
        Map<Long, Long> listedOwner = new HashMap<>();
        templatesByPerson.forEach((personId, ids) -> {
            if (!people.containsKey(personId)) quarantinePerson(personId, "a template list exists for a person who does not");
            for (long id : ids) {
                if (listedOwner.put(id, personId) != null || !templates.containsKey(id))
                    quarantinePerson(personId, "the template list names template " + id + ", which is missing or listed twice");
            }
        });
        people.keySet().forEach(id -> {
            if (!templatesByPerson.containsKey(id)) quarantinePerson(id, "the person has no template list");
        });
        Map<String, Map<Integer, Integer>> dimensions = new TreeMap<>();
        Map<Long, Template> goodTemplates = new HashMap<>();
        templates.forEach((id, sealed) -> {
            try {
                Template template = decodeTemplate(id, sealed);
                if (!Long.valueOf(template.personId()).equals(listedOwner.get(id)))
                    quarantineTemplate(id, template.personId(), "no template list of its person names it");
                else {
                    goodTemplates.put(id, template);
                    dimensions.computeIfAbsent(template.encoder(), e -> new TreeMap<>()).merge(template.dimension(), 1, Integer::sum);
                }
            } catch (RecordCodec.UnreadableRecord bad) {
                Long owner = listedOwner.get(id);
                quarantineTemplate(id, owner, bad.getMessage());
            }
        });
        checkDimensions(dimensions, goodTemplates);
        long maxPerson = people.isEmpty() ? 0 : people.lastKey();
        long maxTemplate = templates.isEmpty() ? 0 : templates.lastKey();
        if (meta.get(NEXT_PERSON_ID) <= maxPerson || meta.get(NEXT_TEMPLATE_ID) <= maxTemplate)
            throw damaged(storeFile, new IllegalStateException("the id counters are behind the stored ids, so ids would be reused"));
        int dropped = keys.retainOnly(new HashSet<>(people.keySet()));
        if (dropped > 0) LOG.info("gallery: erased {} key(s) of people removed before an interrupted shutdown", dropped);
    }

    /** Each encoder's dimension is the one its templates agree on; the others and a disagreeing index are refused. */
    private void checkDimensions(Map<String, Map<Integer, Integer>> dimensions, Map<Long, Template> goodTemplates) {
        Map<String, Integer> agreed = new HashMap<>();
        dimensions.forEach((encoder, counts) -> agreed.put(encoder,
                counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
        Map<String, Integer> perEncoder = new HashMap<>();
        goodTemplates.forEach((id, template) -> {
            if (template.dimension() != agreed.get(template.encoder()))
                quarantineTemplate(id, template.personId(), "its embedding has " + template.dimension()
                        + " values where the other templates of " + template.encoder() + " have " + agreed.get(template.encoder()));
            perEncoder.merge(template.encoder(), 1, Integer::sum);
        });
        encoders.forEach((encoder, space) -> {
            Integer dimension = agreed.get(encoder);
            if (space.length != 2 || dimension == null || space[0] != dimension || space[1] < perEncoder.getOrDefault(encoder, 0))
                quarantine.put("encoder entry " + encoder, "it disagrees with the stored templates " + Arrays.toString(space));
        });
        agreed.keySet().forEach(encoder -> {
            if (!encoders.containsKey(encoder)) quarantine.put("encoder entry " + encoder, "it is missing");
        });
    }

    private void quarantinePerson(long id, String reason) {
        quarantinedPeople.add(id);
        quarantine.putIfAbsent("person " + id, reason);
    }

    private void quarantineTemplate(long id, Long owner, String reason) {
        quarantinedTemplates.add(id);
        quarantine.putIfAbsent("template " + id, reason);
        if (owner != null) quarantinePerson(owner, "its template " + id + " was refused");
    }

    /** What the open had to repair (a torn write-ahead log set aside), one line each; empty almost always. */
    public List<String> repairs() {
        return List.copyOf(repairs);
    }

    /** Records refused at open, in the order found; empty for a sound gallery. */
    public List<Quarantined> quarantined() {
        return read(() -> quarantine.entrySet().stream().map(e -> new Quarantined(e.getKey(), e.getValue())).toList());
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
            return insertPerson(clean, key);
        });
    }

    private Person insertPerson(String clean, String key) {
        long id = nextId(NEXT_PERSON_ID);
        byte[] personKey = keys.newPersonKey(id); // durable before the records it seals are committed
        Person person = new Person(id, clean, Instant.now(), true);
        people.put(id, RecordSeal.sealPerson(id, personKey, RecordCodec.encode(person)));
        peopleByName.put(nameIndexOfKey(key), id);
        templatesByPerson.put(id, new long[0]);
        return person;
    }

    public Optional<Person> person(long id) {
        return read(() -> quarantinedPeople.contains(id) ? Optional.empty()
                : Optional.ofNullable(people.get(id)).map(bytes -> decodePerson(id, bytes)));
    }

    /** Looks a person up by name, ignoring case and surrounding spaces; a name that could never be valid finds nobody. */
    public Optional<Person> findPerson(String name) {
        String key;
        try {
            key = Labels.nameKey(Labels.clean(name, "a person's name"));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
        return read(() -> Optional.ofNullable(peopleByName.get(nameIndexOfKey(key)))
                .filter(id -> !quarantinedPeople.contains(id)).map(this::existingPerson));
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
            peopleByName.remove(nameIndex(old.name()));
            peopleByName.put(nameIndexOfKey(key), personId);
            Person renamed = new Person(personId, clean, old.created(), old.enabled());
            people.put(personId, RecordSeal.sealPerson(personId, personKey(personId), RecordCodec.encode(renamed)));
            return renamed;
        });
    }

    public Person setEnabled(long personId, boolean enabled) {
        return write(() -> {
            Person old = existingPerson(personId);
            Person changed = new Person(personId, old.name(), old.created(), enabled);
            people.put(personId, RecordSeal.sealPerson(personId, personKey(personId), RecordCodec.encode(changed)));
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
            byte[] sealed = schedules.get(personId);
            if (sealed == null) return Optional.<String>empty();
            try {
                return Optional.of(RecordSeal.openSchedule(personId, personKey(personId), sealed));
            } catch (RecordSeal.BrokenSeal broken) {
                throw new RecordCodec.UnreadableRecord("the schedule of person " + personId + " is unreadable: " + broken.getMessage(), broken);
            }
        });
    }

    /** Sets a person's schedule; null or blank means at any time. */
    public void setSchedule(long personId, String schedule) {
        write(() -> {
            existingPerson(personId);
            if (schedule == null || schedule.isBlank()) schedules.remove(personId);
            else schedules.put(personId, RecordSeal.sealSchedule(personId, personKey(personId), schedule.trim()));
            return null;
        });
    }

    /**
     * Removes a person with all their templates in one transaction, then erases the person's key, so no copy of
     * their name or templates left in the file's free space can be read again. Works on a quarantined person too.
     * Returns how many templates went with them.
     */
    public int removePerson(long personId) {
        int removed = write(() -> {
            if (quarantinedPeople.contains(personId) && people.containsKey(personId)) return dropQuarantinedPerson(personId);
            Person person = existingPerson(personId);
            long[] templateIds = templatesByPerson.get(personId);
            for (long templateId : templateIds) dropTemplate(templateId);
            templatesByPerson.remove(personId);
            schedules.remove(personId);
            peopleByName.remove(nameIndex(person.name()));
            people.remove(personId);
            return templateIds.length;
        });
        try {
            keys.forget(personId);
        } catch (GalleryException e) {
            // the removal stands; the next start erases keys of people no longer stored
            LOG.warn("gallery: person {} removed, but their key could not be erased yet ({}); it will be at the next start",
                    personId, e.getMessage());
        }
        return removed;
    }

    private int dropQuarantinedPerson(long personId) {
        long[] templateIds = templatesByPerson.getOrDefault(personId, new long[0]);
        for (long templateId : templateIds) {
            thumbnails.remove(templateId);
            byte[] sealed = templates.remove(templateId);
            if (sealed == null) continue;
            try {
                shrinkEncoder(decodeTemplate(templateId, sealed).encoder());
            } catch (RecordCodec.UnreadableRecord unreadable) {
                // its encoder is unknown, so its count cannot be taken back; only the per-encoder total is off
            }
        }
        templatesByPerson.remove(personId);
        schedules.remove(personId);
        peopleByName.entrySet().removeIf(entry -> entry.getValue() == personId);
        people.remove(personId);
        quarantinedPeople.remove(personId);
        quarantine.remove("person " + personId);
        for (long templateId : templateIds) {
            quarantinedTemplates.remove(templateId);
            quarantine.remove("template " + templateId);
        }
        return templateIds.length;
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
        return write(() -> insertTemplate(existingPerson(personId), embedding, cleanEncoder, sha, quality, null));
    }

    /**
     * Enrolls in one transaction: finds the person by name or adds them, and stores every photo's template that
     * the person does not already hold. Either all of it is committed or nothing is, whatever happens meanwhile
     * (including kill -9: MapDB's write-ahead log only replays committed transactions).
     */
    public Enrolment enroll(String name, List<TemplateInput> inputs) {
        String clean = Labels.clean(name, "a person's name");
        String key = Labels.nameKey(clean);
        List<TemplateInput> checked = new ArrayList<>();
        for (TemplateInput input : inputs) {
            if (!Double.isFinite(input.quality()))
                throw new IllegalArgumentException("quality must be a finite number, got " + input.quality());
            requireUnitLength(input.embedding());
            checked.add(new TemplateInput(input.embedding(), Labels.clean(input.encoder(), "the encoder name"),
                    Labels.sha256(input.sourceSha256()), input.quality(), input.thumbnail()));
        }
        return write(() -> {
            Long existing = peopleByName.get(nameIndexOfKey(key));
            if (existing != null && quarantinedPeople.contains(existing)) throw quarantinedHolder(existing);
            Person person = existing != null ? existingPerson(existing) : insertPerson(clean, key);
            List<Template> added = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (TemplateInput input : checked) {
                try {
                    added.add(insertTemplate(person, input.embedding(), input.encoder(), input.sourceSha256(), input.quality(),
                            input.thumbnail()));
                } catch (DuplicateEntryException already) {
                    skipped.add(input.sourceSha256());
                }
            }
            return new Enrolment(person, added, skipped);
        });
    }

    private Template insertTemplate(Person person, Embedding embedding, String cleanEncoder, String sha, double quality,
                                    byte[] thumbnail) {
        {
            long personId = person.id();
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
            templates.put(id, RecordSeal.sealTemplate(id, personId, personKey(personId), RecordCodec.encode(template)));
            if (thumbnail != null) thumbnails.put(id, RecordSeal.sealThumbnail(id, personId, personKey(personId), thumbnail));
            long[] grown = Arrays.copyOf(ids, ids.length + 1);
            grown[ids.length] = id;
            templatesByPerson.put(personId, grown);
            encoders.put(cleanEncoder, new long[]{embedding.dimension(), space == null ? 1 : space[1] + 1});
            return template;
        }
    }

    public Optional<Template> template(long id) {
        return read(() -> quarantinedTemplates.contains(id) ? Optional.empty()
                : Optional.ofNullable(templates.get(id)).map(bytes -> decodeTemplate(id, bytes)));
    }

    /** A person's templates, by id. */
    public List<Template> templates(long personId) {
        return read(() -> {
            long[] ids = templatesByPerson.get(personId);
            if (ids == null || quarantinedPeople.contains(personId)) throw noPerson(personId);
            List<Template> result = new ArrayList<>(ids.length);
            for (long id : ids) result.add(existingTemplate(id));
            return result;
        });
    }

    /** Every template of every person, by id. */
    public List<Template> templates() {
        return read(this::allTemplates);
    }

    /**
     * The JPEG thumbnail kept with a template, opened with its person's key; empty when the template has none (enrolled
     * before thumbnails, or with them turned off), is unknown or quarantined. A thumbnail whose seal fails is reported
     * in the log and treated as absent: a picture never decides who may enter, so it is not checked at open.
     */
    public Optional<byte[]> thumbnail(long templateId) {
        return read(() -> {
            byte[] sealed = thumbnails.get(templateId);
            if (sealed == null || quarantinedTemplates.contains(templateId) || !templates.containsKey(templateId))
                return Optional.<byte[]>empty();
            try {
                long owner = RecordSeal.templateOwner(sealed);
                if (quarantinedPeople.contains(owner)) return Optional.<byte[]>empty();
                Optional<byte[]> key = keys.personKey(owner);
                if (key.isEmpty()) return Optional.<byte[]>empty();
                return Optional.of(RecordSeal.openThumbnail(templateId, key.get(), sealed));
            } catch (RecordSeal.BrokenSeal broken) {
                LOG.warn("gallery: the thumbnail of template {} is unreadable ({}); it is not shown", templateId, broken.getMessage());
                return Optional.<byte[]>empty();
            }
        });
    }

    /** The ids of the templates that have a thumbnail (without opening any). */
    public Set<Long> templatesWithThumbnails() {
        return read(() -> {
            Set<Long> ids = new HashSet<>(thumbnails.keySet());
            ids.removeAll(quarantinedTemplates);
            return ids;
        });
    }

    /** Removes one template (and its thumbnail) and returns it. */
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
            List<Person> everyone = allPeople();
            int enabled = (int) everyone.stream().filter(Person::enabled).count();
            return new Counts(everyone.size(), enabled, allTemplates().size());
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
                tightenPermissions();
            } finally {
                storeLock.close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Re-seals every record under fresh keys into a new store file, swaps it and its key file in, and closes this
     * gallery (see {@link KeyRotation}). Refused while any record is quarantined: those cannot be re-sealed.
     */
    KeyRotation.Result rotateKeys(java.util.function.Consumer<KeyRotation.Step> at) {
        Lock writeLock = guard.writeLock();
        writeLock.lock();
        try {
            if (closed) throw new IllegalStateException("the gallery is closed");
            if (!quarantine.isEmpty())
                throw new GalleryException("cannot rotate the keys while " + quarantine.size() + " record(s) are quarantined ("
                        + quarantine.keySet().iterator().next() + ", ...): remove those people first; nothing was changed");
            Path dir = storeFile.getParent();
            KeyRotation.Result result = KeyRotation.writeNewPair(dir, new KeyRotation.Source(meta, people,
                    templatesByPerson, templates, encoders, schedules, syncRecords, thumbnails, keys), at);
            closed = true;
            try {
                db.close();
                KeyRotation.swap(dir, at);
            } finally {
                storeLock.close();
            }
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    // ---- internals; callers hold the guard ----

    private List<Person> allPeople() {
        List<Person> result = new ArrayList<>(people.size());
        people.forEach((id, bytes) -> {
            if (!quarantinedPeople.contains(id)) result.add(decodePerson(id, bytes));
        });
        return result;
    }

    private List<Template> allTemplates() {
        List<Template> result = new ArrayList<>(templates.size());
        templates.forEach((id, bytes) -> {
            if (quarantinedTemplates.contains(id)) return;
            Template template = decodeTemplate(id, bytes);
            if (!quarantinedPeople.contains(template.personId())) result.add(template);
        });
        return result;
    }

    private Person existingPerson(long id) {
        byte[] bytes = people.get(id);
        if (bytes == null || quarantinedPeople.contains(id)) throw noPerson(id);
        return decodePerson(id, bytes);
    }

    private Template existingTemplate(long id) {
        byte[] bytes = templates.get(id);
        if (bytes == null || quarantinedTemplates.contains(id)) throw new NoSuchElementException("no template with id " + id);
        return decodeTemplate(id, bytes);
    }

    private byte[] personKey(long personId) {
        return keys.personKey(personId).orElseThrow(() -> new RecordCodec.UnreadableRecord(
                "person " + personId + " has no key in " + GalleryKeys.FILE, null));
    }

    private Person decodePerson(long id, byte[] sealed) {
        try {
            return RecordCodec.decodePerson(id, RecordSeal.openPerson(id, personKey(id), sealed));
        } catch (RecordSeal.BrokenSeal broken) {
            throw new RecordCodec.UnreadableRecord("person " + id + " is unreadable: " + broken.getMessage(), broken);
        }
    }

    /** Opens and validates a template: its seal, its ids, and a finite, unit-length embedding. */
    private Template decodeTemplate(long id, byte[] sealed) {
        Template template;
        long owner;
        try {
            owner = RecordSeal.templateOwner(sealed);
            template = RecordCodec.decodeTemplate(id, RecordSeal.openTemplate(id, personKey(owner), sealed));
        } catch (RecordSeal.BrokenSeal broken) {
            throw new RecordCodec.UnreadableRecord("template " + id + " is unreadable: " + broken.getMessage(), broken);
        }
        if (template.personId() != owner)
            throw new RecordCodec.UnreadableRecord("template " + id + " names person " + template.personId() + " inside, " + owner + " outside", null);
        try {
            requireUnitLength(template.embedding());
        } catch (IllegalArgumentException invalid) {
            throw new RecordCodec.UnreadableRecord("template " + id + " is invalid: " + invalid.getMessage(), invalid);
        }
        return template;
    }

    private String nameIndex(String cleanName) {
        return nameIndexOfKey(Labels.nameKey(cleanName));
    }

    private String nameIndexOfKey(String nameKey) {
        return RecordSeal.nameIndexKey(keys.indexKey(), nameKey);
    }

    private void tightenPermissions() {
        try {
            DataDirectory.tightenFiles(storeFile.getParent());
        } catch (IOException e) {
            LOG.warn("gallery: cannot make the files in {} private: {}", storeFile.getParent(), e.getMessage());
        }
    }

    private static NoSuchElementException noPerson(long id) {
        return new NoSuchElementException("no person with id " + id);
    }

    private static DuplicateEntryException quarantinedHolder(long owner) {
        return new DuplicateEntryException("the name is held by person " + owner + ", who is quarantined (a damaged"
                + " record); remove person " + owner + " first");
    }

    private void refuseTakenName(String key, long allowedOwner) {
        Long owner = peopleByName.get(nameIndexOfKey(key));
        if (owner != null && owner != allowedOwner && quarantinedPeople.contains(owner)) throw quarantinedHolder(owner);
        if (owner != null && owner != allowedOwner)
            throw new DuplicateEntryException("the name \"" + existingPerson(owner).name() + "\" is already taken by person "
                    + owner + " (names are compared ignoring case)");
    }

    private Template dropTemplate(long templateId) {
        Template template = existingTemplate(templateId);
        templates.remove(templateId);
        thumbnails.remove(templateId);
        long[] ids = templatesByPerson.get(template.personId());
        templatesByPerson.put(template.personId(), Arrays.stream(ids).filter(id -> id != templateId).toArray());
        shrinkEncoder(template.encoder());
        return template;
    }

    private void shrinkEncoder(String encoder) {
        long[] space = encoders.get(encoder);
        if (space == null) return;
        if (space[1] <= 1) encoders.remove(encoder);
        else encoders.put(encoder, new long[]{space[0], space[1] - 1});
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
                tightenNewLogs();
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
        return new GalleryException("the gallery at " + storeFile + " failed: " + DataDirectory.describe(e), e);
    }

    /** MapDB opens a new write-ahead log file now and then, with the process umask; make it private at once. */
    private void tightenNewLogs() {
        try (var files = Files.list(storeFile.getParent())) {
            if (files.anyMatch(f -> f.getFileName().toString().startsWith(STORE_FILE + ".wal") && !privateFile(f)))
                tightenPermissions();
        } catch (IOException e) {
            LOG.warn("gallery: cannot list {}: {}", storeFile.getParent(), e.getMessage());
        }
    }

    private static boolean privateFile(Path file) {
        try {
            return Files.getPosixFilePermissions(file).equals(DataDirectory.OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the gallery at " + storeFile + " is closed");
    }
}
