package doorman.household;

import doorman.embedding.Embedding;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Household records between galleries, without a broker: apply, idempotence, tombstones, keys, conflicts. */
class HouseholdSyncTest {

    @TempDir
    Path tmp;

    private final List<Gallery> opened = new ArrayList<>();
    private final HouseholdKey key = HouseholdKey.generate();

    @AfterEach
    void close() {
        opened.forEach(Gallery::close);
    }

    private Gallery gallery(String name) {
        Gallery g = Gallery.open(tmp.resolve(name));
        opened.add(g);
        return g;
    }

    static Embedding unit(long seed) {
        Random r = new Random(seed);
        float[] v = new float[128];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Embedding.normalised(v);
    }

    static String sha(long seed) {
        return String.format("%064x", seed);
    }

    private static void applyAll(HouseholdSync to, List<PersonRecord> records) {
        for (PersonRecord r : records) assertEquals(HouseholdSync.Outcome.APPLIED, to.apply(r).outcome(), r.uid());
    }

    @Test
    void anEnrollmentTravelsAndAppliesOnce() {
        Gallery a = gallery("a"), b = gallery("b");
        HouseholdSync syncA = new HouseholdSync(a, key, "door-a"), syncB = new HouseholdSync(b, key, "door-b");
        Person ada = a.addPerson("Ada");
        a.addTemplate(ada.id(), unit(1), "doorman-128", sha(1), 0.9);
        a.addTemplate(ada.id(), unit(2), "doorman-128", sha(2), 0.8);
        a.setSchedule(ada.id(), "mon-fri 08:00-18:00");
        List<PersonRecord> records = syncA.localChanges();
        assertEquals(1, records.size());
        assertEquals(1, records.get(0).version());
        assertEquals(List.of(), syncA.localChanges(), "nothing new to share");
        String wire = new String(records.get(0).toJson(), StandardCharsets.UTF_8);
        assertFalse(wire.contains("Ada"), "the name never travels in clear: " + wire);

        PersonRecord received = PersonRecord.parse(records.get(0).toJson());
        assertEquals(HouseholdSync.Outcome.APPLIED, syncB.apply(received).outcome());
        assertEquals(HouseholdSync.Outcome.UNCHANGED, syncB.apply(received).outcome(), "applying twice changes nothing");
        Person copy = b.findPerson("Ada").orElseThrow();
        assertEquals(2, b.templates(copy.id()).size());
        assertEquals(unit(1), b.templates(copy.id()).stream().filter(t -> t.sourceSha256().equals(sha(1)))
                .findFirst().orElseThrow().embedding(), "the template arrives bit for bit");
        assertEquals("mon-fri 08:00-18:00", b.schedule(copy.id()).orElseThrow());
        assertEquals(List.of(), syncB.localChanges(), "an applied record is not shared back as a change");
        assertEquals(HouseholdSync.Outcome.UNCHANGED, syncA.apply(received).outcome(), "a door's own record echoed back");
    }

    @Test
    void editsAndRemovalsFollowInEitherDirection() {
        Gallery a = gallery("a"), b = gallery("b");
        HouseholdSync syncA = new HouseholdSync(a, key, "door-a"), syncB = new HouseholdSync(b, key, "door-b");
        Person ada = a.addPerson("Ada");
        a.addTemplate(ada.id(), unit(1), "doorman-128", sha(1), 0.9);
        applyAll(syncB, syncA.localChanges());
        long atB = b.findPerson("Ada").orElseThrow().id();

        b.rename(atB, "Ada L.");
        b.setEnabled(atB, false);
        b.addTemplate(atB, unit(3), "doorman-128", sha(3), 0.7);
        List<PersonRecord> edit = syncB.localChanges();
        assertEquals(2, edit.get(0).version());
        applyAll(syncA, edit);
        Person edited = a.person(ada.id()).orElseThrow();
        assertEquals("Ada L.", edited.name());
        assertFalse(edited.enabled());
        assertEquals(2, a.templates(ada.id()).size());

        a.removeTemplate(a.templates(ada.id()).get(0).id());
        applyAll(syncB, syncA.localChanges());
        assertEquals(1, b.templates(atB).size());

        b.removePerson(atB);
        List<PersonRecord> tombstone = syncB.localChanges();
        assertTrue(tombstone.get(0).deleted());
        applyAll(syncA, tombstone);
        assertTrue(a.people().isEmpty(), "removed at the other door");
        assertEquals(HouseholdSync.Outcome.UNCHANGED, syncA.apply(tombstone.get(0)).outcome());
        // a late door sees the tombstone alone and adds nobody
        HouseholdSync syncC = new HouseholdSync(gallery("c"), key, "door-c");
        applyAll(syncC, tombstone);
        assertEquals(List.of(), syncC.localChanges());
    }

    @Test
    void aDoorWithAnotherKeyRefusesAndSaysWhy() {
        Gallery a = gallery("a"), other = gallery("other");
        HouseholdSync syncA = new HouseholdSync(a, key, "door-a");
        a.addPerson("Ada");
        PersonRecord record = syncA.localChanges().get(0);
        HouseholdSync.Result result = new HouseholdSync(other, HouseholdKey.generate(), "door-x").apply(record);
        assertEquals(HouseholdSync.Outcome.REFUSED, result.outcome());
        assertTrue(result.message().contains("sealed with household key " + key.id()), result.message());
        assertTrue(other.people().isEmpty());
    }

    @Test
    void anAlteredRecordIsRefused() {
        Gallery a = gallery("a"), b = gallery("b");
        a.addPerson("Ada");
        PersonRecord real = new HouseholdSync(a, key, "door-a").localChanges().get(0);
        // a forged removal: the clear fields are authenticated, so flipping them breaks the seal
        PersonRecord forged = new PersonRecord(real.uid(), real.version() + 5, real.door(), true, real.keyId(), real.sealed());
        HouseholdSync syncB = new HouseholdSync(b, key, "door-b");
        assertEquals(HouseholdSync.Outcome.APPLIED, syncB.apply(real).outcome());
        assertEquals(HouseholdSync.Outcome.REFUSED, syncB.apply(forged).outcome());
        assertEquals(1, b.people().size());
    }

    @Test
    void concurrentEditsResolveTheSameWayOnBothDoors() {
        Gallery a = gallery("a"), b = gallery("b");
        HouseholdSync syncA = new HouseholdSync(a, key, "door-a"), syncB = new HouseholdSync(b, key, "door-b");
        Person ada = a.addPerson("Ada");
        applyAll(syncB, syncA.localChanges());
        long atB = b.findPerson("Ada").orElseThrow().id();
        a.rename(ada.id(), "Ada from A");
        b.rename(atB, "Ada from B");
        PersonRecord fromA = syncA.localChanges().get(0), fromB = syncB.localChanges().get(0);
        assertEquals(fromA.version(), fromB.version(), "both made version 2");
        HouseholdSync.Result atA = syncA.apply(fromB), atBResult = syncB.apply(fromA);
        assertEquals(HouseholdSync.Outcome.APPLIED, atA.outcome(), "door-b > door-a: B's edit wins at A");
        assertEquals(HouseholdSync.Outcome.LOCAL_WINS, atBResult.outcome());
        assertNotNull(atBResult.answer(), "B answers with its winning record so the broker retains it");
        assertEquals("Ada from B", a.person(ada.id()).orElseThrow().name());
        assertEquals("Ada from B", b.person(atB).orElseThrow().name());
        assertEquals(HouseholdSync.Outcome.UNCHANGED, syncA.apply(atBResult.answer()).outcome());
    }

    @Test
    void aRecordThatCannotApplyLeavesNoHalfPerson() {
        Gallery a = gallery("a"), b = gallery("b");
        Person ada = a.addPerson("Ada");
        a.addTemplate(ada.id(), unit(1), "doorman-128", sha(1), 0.9);
        b.addPerson("ada"); // the same name, enrolled separately at B: names are unique ignoring case
        HouseholdSync syncB = new HouseholdSync(b, key, "door-b");
        syncB.localChanges();
        HouseholdSync.Result r = syncB.apply(new HouseholdSync(a, key, "door-a").localChanges().get(0));
        assertEquals(HouseholdSync.Outcome.REFUSED, r.outcome());
        assertTrue(r.message().contains("already taken"), r.message());
        assertEquals(1, b.people().size());
        assertEquals(0, b.templates().size(), "the whole record rolled back");
    }

    @Test
    void theKeyFileIsPrivateAndNotReplaced() throws Exception {
        key.save(tmp);
        assertEquals(key.id(), HouseholdKey.load(tmp).orElseThrow().id());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(tmp.resolve(HouseholdKey.FILE))));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> HouseholdKey.generate().save(tmp));
        assertThrows(IllegalArgumentException.class, () -> HouseholdKey.parse("not a key"));
    }
}
