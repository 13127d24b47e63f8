package doorman.gallery;

import doorman.match.Recognition;
import doorman.embedding.Embedding;
import doorman.match.Calibration;
import doorman.match.Identification;
import doorman.match.Match;
import doorman.match.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damage to gallery.db is refused or quarantined, never silently loaded; a bad template never matches. */
class GalleryIntegrityTest {

    static final String ENCODER = "doorman-128";
    static final List<String> NAMES = List.of("Alice Smith", "Bob Jones", "Carol King", "Dan Brown");
    /** Accept distance and slope of the shipped 128-d calibration (README). */
    static final Calibration CALIBRATION = new Calibration(ENCODER, -11.66, 14.04, 1.016, 1.457, 1e-3);

    @TempDir
    Path dir;

    /** A real store: four people with three 128-d templates each, one schedule, one disabled person. */
    static void fill(Path dataDir) {
        try (Gallery gallery = Gallery.open(dataDir)) {
            for (int p = 0; p < NAMES.size(); p++) {
                List<Gallery.TemplateInput> inputs = new ArrayList<>();
                for (int t = 0; t < 3; t++)
                    inputs.add(new Gallery.TemplateInput(GalleryTest.unit(p * 10L + t, 128), ENCODER, GalleryTest.sha(p * 10 + t + 1), 0.9));
                gallery.enroll(NAMES.get(p), inputs);
            }
            gallery.setSchedule(gallery.findPerson("Bob Jones").orElseThrow().id(), "mon-fri 08:00-18:00");
            gallery.setEnabled(gallery.findPerson("Dan Brown").orElseThrow().id(), false);
        }
    }

    /** Everything a caller can observe; two equal fingerprints mean the door behaves identically. */
    static String fingerprint(Gallery gallery) {
        StringBuilder out = new StringBuilder();
        Gallery.Snapshot snapshot = gallery.snapshot();
        out.append(snapshot.people()).append('\n');
        for (Template t : snapshot.templates())
            out.append(t.id()).append(' ').append(t.personId()).append(' ').append(t.encoder()).append(' ')
                    .append(t.sourceSha256()).append(' ').append(t.quality()).append(' ').append(t.created()).append(' ')
                    .append(java.util.Arrays.toString(t.embedding().values())).append('\n');
        for (Person p : snapshot.people()) out.append(gallery.schedule(p.id())).append(' ').append(gallery.templates(p.id()).size()).append('\n');
        for (String name : NAMES) out.append(gallery.findPerson(name).map(Person::id)).append('\n');
        out.append(gallery.counts()).append(gallery.templateCountByEncoder());
        return out.toString();
    }

    @Test
    void seededRandomOverwritesAreNeverLoadedSilently() throws Exception {
        Path original = dir.resolve("original");
        fill(original);
        String expected;
        try (Gallery gallery = Gallery.open(original)) {
            expected = fingerprint(gallery);
        }
        byte[] store = Files.readAllBytes(original.resolve(Gallery.STORE_FILE));
        // MapDB pre-allocates the file in large zeroed blocks; aim every overwrite at a byte that holds data
        int[] data = java.util.stream.IntStream.range(0, store.length - 8).filter(i -> store[i] != 0).toArray();
        Map<String, Integer> outcomes = new TreeMap<>();
        int runs = 400;
        for (int seed = 0; seed < runs; seed++) {
            Random random = new Random(seed);
            Path copy = dir.resolve("copy-" + seed);
            copyDir(original, copy);
            byte[] damaged = store.clone();
            int at = data[random.nextInt(data.length)];
            byte[] noise = new byte[8];
            random.nextBytes(noise);
            System.arraycopy(noise, 0, damaged, at, 8);
            Files.write(copy.resolve(Gallery.STORE_FILE), damaged);
            String outcome;
            try (Gallery gallery = Gallery.open(copy)) {
                List<Gallery.Quarantined> bad = gallery.quarantined();
                String seen;
                try {
                    seen = fingerprint(gallery);
                } catch (GalleryException refusedOnUse) {
                    seen = null;
                }
                if (seen == null) outcome = "refused on use";
                else if (!bad.isEmpty()) outcome = "quarantined";
                else if (seen.equals(expected)) outcome = "unchanged";
                else outcome = "SILENT at " + at + " (seed " + seed + ")";
                for (Template t : gallery.snapshot().templates()) assertUnit(t.embedding());
            } catch (GalleryException refused) {
                assertTrue(refused.getMessage().contains(Gallery.STORE_FILE), refused.getMessage());
                outcome = "refused at open";
            }
            outcomes.merge(outcome.startsWith("SILENT") ? outcome : outcome, 1, Integer::sum);
            deleteDir(copy);
        }
        System.out.println("gallery overwrite outcomes over " + runs + " seeded 8-byte overwrites of a "
                + store.length + "-byte gallery.db, each starting at one of its " + data.length + " non-zero bytes: " + outcomes);
        assertTrue(outcomes.keySet().stream().noneMatch(k -> k.startsWith("SILENT")), outcomes.toString());
    }

    @Test
    void aZeroedTemplateIsQuarantinedAndMatchesNobody() throws Exception {
        fill(dir);
        long victimTemplate;
        long victim;
        try (Gallery gallery = Gallery.open(dir)) {
            Template t = gallery.templates(gallery.findPerson("Alice Smith").orElseThrow().id()).get(0);
            victimTemplate = t.id();
            victim = t.personId();
        }
        // someone holding the key writes a correctly sealed template of zeros: only validation can catch it
        GalleryKeys keys = GalleryKeys.load(dir, false);
        Template zero = new Template(victimTemplate, victim, new Embedding(new float[128]), ENCODER, GalleryTest.sha(99), 0.9,
                java.time.Instant.now());
        withRawStore(dir, db -> db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).open()
                .put(victimTemplate, RecordSeal.sealTemplate(victimTemplate, victim, keys.personKey(victim).orElseThrow(),
                        RecordCodec.encode(zero))));
        try (Gallery gallery = Gallery.open(dir)) {
            List<Gallery.Quarantined> bad = gallery.quarantined();
            assertTrue(bad.stream().anyMatch(q -> q.record().equals("template " + victimTemplate)
                    && q.reason().contains("L2-normalised")), bad.toString());
            assertTrue(bad.stream().anyMatch(q -> q.record().equals("person " + victim)), bad.toString());
            assertTrue(bad.get(0).line().startsWith("gallery: quarantined "), bad.get(0).line());
            assertTrue(gallery.findPerson("Alice Smith").isEmpty());
            assertEquals(2, gallery.people().stream().filter(Person::enabled).count()); // Bob and Carol still served
            Matcher matcher = Matcher.fromGallery(gallery, CALIBRATION, 0.0);
            for (int stranger = 0; stranger < 500; stranger++) {
                Optional<Identification> id = matcher.identify(GalleryTest.unit(100_000L + stranger, 128));
                assertTrue(id.isEmpty() || id.get().best().decision() != Recognition.ACCEPT, "a stranger was accepted");
                assertTrue(id.isEmpty() || id.get().best().personId() != victim);
            }
            // Bob is still recognised from one of his own templates
            Match bob = matcher.identify(GalleryTest.unit(10L, 128)).orElseThrow().best();
            assertEquals("Bob Jones", bob.name());
            assertEquals(Recognition.ACCEPT, bob.decision());
            DuplicateEntryException held = assertThrows(DuplicateEntryException.class, () -> gallery.enroll("Alice Smith",
                    List.of(new Gallery.TemplateInput(GalleryTest.unit(0, 128), ENCODER, GalleryTest.sha(1), 0.9))));
            assertTrue(held.getMessage().contains("quarantined"), held.getMessage());
            assertThrows(DuplicateEntryException.class, () -> gallery.addPerson("alice smith"));
            // the owner clears the quarantine by removing the person, then can enroll them again
            assertEquals(3, gallery.removePerson(victim));
            assertTrue(gallery.quarantined().isEmpty(), gallery.quarantined().toString());
            gallery.enroll("Alice Smith", List.of(new Gallery.TemplateInput(GalleryTest.unit(0, 128), ENCODER, GalleryTest.sha(1), 0.9)));
        }
        try (Gallery gallery = Gallery.open(dir)) {
            assertTrue(gallery.quarantined().isEmpty(), gallery.quarantined().toString());
        }
    }

    @Test
    void aFlippedBitOrAMovedRecordFailsItsTag() throws Exception {
        fill(dir);
        long carol;
        long bob;
        try (Gallery gallery = Gallery.open(dir)) {
            carol = gallery.findPerson("Carol King").orElseThrow().id();
            bob = gallery.findPerson("Bob Jones").orElseThrow().id();
        }
        withRawStore(dir, db -> {
            var templates = db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).open();
            var people = db.treeMap("people", Serializer.LONG, Serializer.BYTE_ARRAY).open();
            var lists = db.treeMap("templatesByPerson", Serializer.LONG, Serializer.LONG_ARRAY).open();
            long carolsFirst = lists.get(carol)[0];
            byte[] sealed = templates.get(carolsFirst);
            sealed[sealed.length - 20] ^= 1;
            templates.put(carolsFirst, sealed);
            people.put(bob, people.get(carol)); // Carol's sealed record copied over Bob's
        });
        try (Gallery gallery = Gallery.open(dir)) {
            List<Gallery.Quarantined> bad = gallery.quarantined();
            assertTrue(bad.stream().anyMatch(q -> q.record().equals("person " + bob) && q.reason().contains("integrity tag")), bad.toString());
            assertTrue(bad.stream().anyMatch(q -> q.reason().contains("integrity tag")), bad.toString());
            assertEquals(List.of("Alice Smith", "Dan Brown"), gallery.people().stream().map(Person::name).toList());
            assertTrue(gallery.snapshot().templates().stream().noneMatch(t -> t.personId() == bob || t.personId() == carol));
        }
    }

    @Test
    void aMissingKeyFileIsRefusedWithOneClearLine() throws Exception {
        fill(dir);
        Files.delete(dir.resolve(GalleryKeys.FILE));
        GalleryException e = assertThrows(GalleryException.class, () -> Gallery.open(dir));
        assertTrue(e.getMessage().contains("gallery.keys") && e.getMessage().contains("missing"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aDamagedKeyFileIsRefused() throws Exception {
        fill(dir);
        Path keyFile = dir.resolve(GalleryKeys.FILE);
        byte[] bytes = Files.readAllBytes(keyFile);
        bytes[40] ^= 4;
        Files.write(keyFile, bytes);
        GalleryException e = assertThrows(GalleryException.class, () -> Gallery.open(dir));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    static void assertUnit(Embedding e) {
        double sum = 0;
        for (float v : e.values()) {
            assertTrue(Float.isFinite(v));
            sum += (double) v * v;
        }
        assertEquals(1.0, sum, 1e-3);
    }

    static void withRawStore(Path dataDir, java.util.function.Consumer<DB> change) {
        DB db = DBMaker.fileDB(dataDir.resolve(Gallery.STORE_FILE).toFile()).transactionEnable().fileLockDisable().make();
        try {
            change.accept(db);
            db.commit();
        } finally {
            db.close();
        }
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    static void deleteDir(Path d) throws IOException {
        try (Stream<Path> files = Files.walk(d)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
