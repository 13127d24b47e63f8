package doorman.audit;

import doorman.config.AuditConfig;
import doorman.policy.Action;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerArrayTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every audited decision, in its own MapDB file {@code audit.db} in the data folder, one transaction per event.
 * Events are keyed by (epoch milli, id) so a time range is a slice of the tree. Each write also prunes: first the
 * events beyond {@code max-events}, then at most {@value #PRUNE_PER_WRITE} events older than {@code retention-days},
 * so a write stays cheap however much has piled up; {@link #open} prunes fully once. Every recorded event is also
 * logged as one key=value line on the {@code doorman.audit} logger. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {

    static final String FILE = "audit.db";
    static final int PRUNE_PER_WRITE = 64;
    /** 2: the person as a number (format 1 kept it as text; such records are still read). */
    private static final byte FORMAT = 2;
    private static final byte FORMAT_TEXT_PERSON = 1;
    private static final Logger log = LoggerFactory.getLogger("doorman.audit");

    private final DB db;
    private final BTreeMap<Object[], byte[]> events;
    private final Atomic.Long lastId;
    private final AuditConfig config;
    private final Clock clock;
    private final List<Consumer<AuditEvent>> listeners = new CopyOnWriteArrayList<>();

    private AuditLog(DB db, AuditConfig config, Clock clock) {
        this.db = db;
        this.config = config;
        this.clock = clock;
        this.events = db.treeMap("events", new SerializerArrayTuple(Serializer.LONG, Serializer.LONG), Serializer.BYTE_ARRAY)
                .counterEnable().createOrOpen();
        this.lastId = db.atomicLong("last-id").createOrOpen();
        db.commit();
    }

    /** Opens (or creates) {@code audit.db} in {@code dataDir} and prunes it to the configured limits. */
    public static AuditLog open(Path dataDir, AuditConfig config, Clock clock) {
        Path file = dataDir.resolve(FILE);
        DB db;
        try {
            doorman.gallery.DataDirectory.secure(dataDir); // 0700, files 0600 whatever the umask
            db = DBMaker.fileDB(file.toFile()).transactionEnable().make();
            doorman.gallery.DataDirectory.tightenFiles(dataDir);
        } catch (DBException.FileLocked e) {
            throw new IllegalStateException(file + " is in use by another process (is another doorman running?)", e);
        } catch (IOException | DBException e) {
            throw new IllegalStateException("cannot open the audit log " + file + ": " + doorman.gallery.DataDirectory.describe(e), e);
        }
        AuditLog audit = new AuditLog(db, config, clock);
        audit.prune(Integer.MAX_VALUE);
        return audit;
    }

    /** Stores an event (its id is ignored and assigned here), logs it, and returns it as stored. */
    public synchronized AuditEvent record(AuditEvent event) {
        AuditEvent stored;
        try {
            stored = event.withId(lastId.incrementAndGet());
            events.put(key(stored.time(), stored.id()), encode(stored));
            prune(PRUNE_PER_WRITE);
            db.commit();
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
        log.info(logLine(stored));
        for (Consumer<AuditEvent> listener : listeners) {
            try {
                listener.accept(stored);
            } catch (RuntimeException e) { // a listener never undoes or blocks a recorded decision
                log.warn("audit listener failed on event {}: {}", stored.id(), e.toString());
            }
        }
        return stored;
    }

    /**
     * Calls {@code listener} with every event after it is stored, on the recording thread (the frame loop's,
     * for the door's decisions): it must return at once, e.g. by queueing, and should not throw.
     */
    public void addListener(Consumer<AuditEvent> listener) {
        listeners.add(listener);
    }

    /**
     * As {@link #record}, for callers that already acted (a pulse that was decided must not be cut short because
     * the disk is full): never throws; when the store fails, the event goes to the log at error level instead.
     */
    public AuditEvent recordOrLog(AuditEvent event) {
        try {
            return record(event);
        } catch (RuntimeException | AssertionError | LinkageError e) { // MapDB: assertions, IllegalAccessError when closed
            log.error("AUDIT NOT STORED ({}): {}", doorman.gallery.DataDirectory.describe(e), logLine(event));
            return event;
        }
    }

    /** One page of events, newest first. */
    public synchronized List<AuditEvent> query(AuditQuery query) {
        long fromMillis = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli();
        long toMillis = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli();
        NavigableMap<Object[], byte[]> slice = events
                .subMap(new Object[]{fromMillis, Long.MIN_VALUE}, true, new Object[]{toMillis, Long.MAX_VALUE}, true)
                .descendingMap();
        List<AuditEvent> page = new ArrayList<>(Math.min(query.limit(), 64));
        int skipped = 0;
        for (byte[] bytes : slice.values()) {
            AuditEvent e = decode(bytes);
            if (!matches(query, e)) continue;
            if (skipped++ < query.offset()) continue;
            page.add(e);
            if (page.size() == query.limit()) break;
        }
        return page;
    }

    /** Whether the event with this id and time is still stored (not pruned). */
    public synchronized boolean contains(long id, Instant time) {
        return !db.isClosed() && events.containsKey(key(time, id));
    }

    /** How many events are stored. */
    public synchronized int size() {
        return events.size();
    }

    @Override
    public synchronized void close() {
        if (!db.isClosed()) db.close();
    }

    private static boolean matches(AuditQuery q, AuditEvent e) {
        return (q.personId() == null || q.personId().equals(e.personId()))
                && (q.action() == null || q.action() == e.action())
                && (q.from() == null || !e.time().isBefore(q.from()))
                && (q.to() == null || !e.time().isAfter(q.to()));
    }

    private void prune(int maxAgeRemovals) {
        while (events.size() > config.maxEvents()) events.pollFirstEntry();
        long cutoff = clock.instant().minus(config.retention()).toEpochMilli();
        for (int removed = 0; removed < maxAgeRemovals; removed++) {
            Map.Entry<Object[], byte[]> oldest = events.firstEntry();
            if (oldest == null || (Long) oldest.getKey()[0] >= cutoff) break;
            events.remove(oldest.getKey());
        }
    }

    private static Object[] key(Instant time, long id) {
        return new Object[]{time.toEpochMilli(), id};
    }

    static String logLine(AuditEvent e) {
        return "decision id=" + e.id()
                + " action=" + e.action()
                + " person=" + (e.personId() == null ? "unknown" : e.personId().toString())
                + (e.personName() == null ? "" : " name=" + text(e.personName()))
                + " distance=" + number(e.distance(), 4)
                + " probability=" + number(e.probability(), 3)
                + " liveness=" + number(e.livenessScore(), 3)
                + " quality=" + text(e.quality())
                + " reason=" + text(e.reason());
    }

    private static String number(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** Bare when it is one word, else quoted; never more than one line, so one event is one journal entry. */
    private static String text(String s) {
        String flat = s.replace('\n', ' ').replace('\r', ' ');
        if (!flat.isEmpty() && flat.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c == '\\')) return flat;
        return '"' + flat.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static byte[] encode(AuditEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(e.id());
            out.writeLong(e.time().getEpochSecond());
            out.writeInt(e.time().getNano());
            out.writeUTF(e.action().name());
            out.writeBoolean(e.personId() != null);
            if (e.personId() != null) out.writeLong(e.personId());
            writeNullable(out, e.personName());
            out.writeDouble(e.distance());
            out.writeDouble(e.probability());
            out.writeDouble(e.livenessScore());
            out.writeUTF(e.quality());
            out.writeUTF(e.reason());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    private static AuditEvent decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_TEXT_PERSON)
                throw new IllegalStateException("audit event in unknown format " + format);
            long id = in.readLong();
            Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
            Action action = Action.valueOf(in.readUTF());
            Long personId = format == FORMAT ? (in.readBoolean() ? in.readLong() : null) : numberOrNull(readNullable(in));
            String personName = readNullable(in);
            double distance = in.readDouble(), probability = in.readDouble(), liveness = in.readDouble();
            return new AuditEvent(id, time, action, personId, personName, distance, probability, liveness, in.readUTF(), in.readUTF());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static Long numberOrNull(String text) {
        try {
            return text == null ? null : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
