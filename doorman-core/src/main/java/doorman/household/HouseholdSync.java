package doorman.household;

import doorman.embedding.Embedding;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps this door's gallery in step with the household, transport-free (doorman.mqtt carries the records).
 * Local edits (through the API or the CLI) are found by comparing each person's content hash with the last one
 * shared, and become records with the next version; a person removed here becomes a tombstone. A record from
 * another door is applied when it is newer (version, then door id; deterministic on every door) in one gallery
 * transaction together with the bookkeeping, so applying it twice changes nothing. An older record loses, is
 * logged, and this door answers with its own so the broker keeps the winner. A record this door's key cannot
 * open is refused and logged. All methods are serialised.
 */
public final class HouseholdSync {

    private static final Logger log = LoggerFactory.getLogger(HouseholdSync.class);

    public enum Outcome { APPLIED, UNCHANGED, LOCAL_WINS, REFUSED }

    /** What became of one incoming record; {@code answer} is this door's winning record when {@code LOCAL_WINS}. */
    public record Result(Outcome outcome, String message, PersonRecord answer) {
    }

    private final Gallery gallery;
    private final HouseholdKey key;
    private final String door;

    public HouseholdSync(Gallery gallery, HouseholdKey key, String door) {
        this.gallery = gallery;
        this.key = key;
        this.door = door;
    }

    public String keyId() {
        return key.id();
    }

    /** Records for what changed here since the last call (new people, edits, removals); empty when nothing did. */
    public synchronized List<PersonRecord> localChanges() {
        Map<String, SyncEntry> entries = entries();
        Map<Long, SyncEntry> byLocal = new HashMap<>();
        for (SyncEntry e : entries.values()) if (!e.deleted()) byLocal.put(e.localId(), e);
        List<SyncEntry> changed = new ArrayList<>();
        List<PersonRecord> records = new ArrayList<>();
        Set<Long> present = new HashSet<>();
        for (Person p : gallery.people()) {
            present.add(p.id());
            Optional<PersonContent> content = PersonContent.of(gallery, p.id());
            if (content.isEmpty()) continue; // removed meanwhile: the next call sees it gone
            String hash = content.get().hash();
            SyncEntry known = byLocal.get(p.id());
            if (known != null && known.hash().equals(hash)) continue;
            String uid = known != null ? known.uid() : UUID.randomUUID().toString();
            long version = known != null ? known.version() + 1 : 1;
            changed.add(new SyncEntry(uid, p.id(), version, door, hash, false));
            records.add(PersonRecord.seal(key, uid, version, door, content.get()));
        }
        for (SyncEntry e : byLocal.values()) {
            if (present.contains(e.localId())) continue;
            changed.add(new SyncEntry(e.uid(), -1, e.version() + 1, door, "", true));
            records.add(PersonRecord.seal(key, e.uid(), e.version() + 1, door, null));
        }
        if (!changed.isEmpty()) {
            gallery.transaction(() -> {
                for (SyncEntry e : changed) gallery.putSyncRecord(e.uid(), e.encode());
                return null;
            });
            for (PersonRecord r : records)
                log.info("household: shared {} of person {} version {}", r.deleted() ? "the removal" : "the state", r.uid(), r.version());
        }
        return records;
    }

    /** Every person this door knows, as records to (re)publish, e.g. after reconnecting to a broker that lost them. */
    public synchronized List<PersonRecord> allRecords() {
        localChanges();
        List<PersonRecord> all = new ArrayList<>();
        for (SyncEntry e : entries().values()) current(e).ifPresent(all::add);
        return all;
    }

    /** Applies a record from the household (possibly this door's own, echoed by the broker). */
    public synchronized Result apply(PersonRecord record) {
        Optional<PersonContent> content;
        try {
            content = record.open(key);
        } catch (HouseholdKey.WrongKey e) {
            String m = "household: refused the record of person " + record.uid() + " from door " + record.door() + ": "
                    + e.getMessage() + ". Run 'doorman household join' with the household's key on this door.";
            log.error(m);
            return new Result(Outcome.REFUSED, m, null);
        } catch (IllegalArgumentException e) {
            String m = "household: refused the record of person " + record.uid() + " from door " + record.door() + ": " + e.getMessage();
            log.error(m);
            return new Result(Outcome.REFUSED, m, null);
        }
        localChanges(); // an edit made here but not yet shared takes part in the comparison
        SyncEntry known = entries().get(record.uid());
        if (known != null && known.version() == record.version() && known.door().equals(record.door()))
            return new Result(Outcome.UNCHANGED, "already applied", null);
        if (known != null && record.door().equals(known.door()) && record.version() < known.version())
            return new Result(Outcome.UNCHANGED, "superseded by version " + known.version() + " from the same door", null);
        if (known != null && !record.newerThan(known.version(), known.door())) {
            String m = "household: conflict on person " + record.uid() + ": kept version " + known.version() + " from door "
                    + known.door() + " over version " + record.version() + " from door " + record.door();
            log.warn(m);
            return new Result(Outcome.LOCAL_WINS, m, current(known).orElse(null));
        }
        if (known != null && known.version() >= record.version())
            log.warn("household: conflict on person {}: version {} from door {} replaces version {} from door {} (ties go to the greater door id)",
                    record.uid(), record.version(), record.door(), known.version(), known.door());
        try {
            String m = content.isEmpty() ? remove(record, known) : upsert(record, known, content.get());
            log.info(m);
            return new Result(Outcome.APPLIED, m, null);
        } catch (RuntimeException e) {
            String m = "household: could not apply person " + record.uid() + " version " + record.version() + " from door "
                    + record.door() + ": " + e.getMessage();
            log.error(m);
            return new Result(Outcome.REFUSED, m, null);
        }
    }

    private String remove(PersonRecord record, SyncEntry known) {
        return gallery.transaction(() -> {
            String name = "";
            if (known != null && !known.deleted()) {
                Optional<Person> p = gallery.person(known.localId());
                if (p.isPresent()) {
                    name = " (" + p.get().name() + ")";
                    gallery.removePerson(known.localId());
                }
            }
            gallery.putSyncRecord(record.uid(), new SyncEntry(record.uid(), -1, record.version(), record.door(), "", true).encode());
            return "household: removed person " + record.uid() + name + " (version " + record.version() + " from door " + record.door() + ")";
        });
    }

    private String upsert(PersonRecord record, SyncEntry known, PersonContent content) {
        return gallery.transaction(() -> {
            Optional<Person> existing = known == null || known.deleted() ? Optional.empty() : gallery.person(known.localId());
            Person p = existing.orElseGet(() -> gallery.addPerson(content.name()));
            if (!p.name().equals(content.name())) gallery.rename(p.id(), content.name());
            if (p.enabled() != content.enabled()) gallery.setEnabled(p.id(), content.enabled());
            gallery.setSchedule(p.id(), content.schedule());
            Map<String, PersonContent.TemplateContent> wanted = new java.util.LinkedHashMap<>();
            for (PersonContent.TemplateContent t : content.templates()) wanted.put(t.encoder() + "/" + t.sha256(), t);
            for (Template t : gallery.templates(p.id()))
                if (wanted.remove(t.encoder() + "/" + t.sourceSha256()) == null) gallery.removeTemplate(t.id());
            for (PersonContent.TemplateContent t : wanted.values())
                gallery.addTemplate(p.id(), new Embedding(t.embedding()), t.encoder(), t.sha256(), t.quality());
            String hash = PersonContent.of(gallery, p.id()).orElseThrow().hash();
            gallery.putSyncRecord(record.uid(), new SyncEntry(record.uid(), p.id(), record.version(), record.door(), hash, false).encode());
            return "household: " + (existing.isPresent() ? "updated" : "added") + " person " + record.uid() + " (" + content.name()
                    + ", " + content.templates().size() + " templates) to version " + record.version() + " from door " + record.door();
        });
    }

    private Optional<PersonRecord> current(SyncEntry e) {
        if (e.deleted()) return Optional.of(PersonRecord.seal(key, e.uid(), e.version(), e.door(), null));
        return PersonContent.of(gallery, e.localId()).map(c -> PersonRecord.seal(key, e.uid(), e.version(), e.door(), c));
    }

    private Map<String, SyncEntry> entries() {
        Map<String, SyncEntry> entries = new HashMap<>();
        gallery.syncRecords().forEach((uid, bytes) -> entries.put(uid, SyncEntry.decode(uid, bytes)));
        return entries;
    }
}
