package doorman.gallery;

import doorman.embedding.Embedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GalleryTest {

    static final String ENCODER = "mobilefacenet-192";

    @TempDir
    Path dir;

    static Embedding unit(long seed, int dimension) {
        Random random = new Random(seed);
        float[] raw = new float[dimension];
        for (int i = 0; i < dimension; i++) raw[i] = (float) random.nextGaussian();
        return Embedding.normalised(raw);
    }

    static String sha(int n) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) n);
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void addsFindsAndListsPeople() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            Person bob = gallery.addPerson("  Bob Jones \n");
            assertEquals("Bob Jones", bob.name());
            assertTrue(alice.enabled());
            assertTrue(bob.id() > alice.id());
            assertEquals(alice, gallery.person(alice.id()).orElseThrow());
            assertEquals(bob, gallery.findPerson("bob jones").orElseThrow());
            assertEquals(bob, gallery.findPerson(" BOB   JONES ").orElseThrow());
            assertTrue(gallery.findPerson("Carol").isEmpty());
            assertTrue(gallery.findPerson("bad\u0000name").isEmpty());
            assertTrue(gallery.person(999).isEmpty());
            assertEquals(List.of(alice, bob), gallery.people());
            assertEquals(new Gallery.Counts(2, 2, 0), gallery.counts());
        }
    }

    @Test
    void namesAreUniqueIgnoringCaseAndSpacing() {
        try (Gallery gallery = Gallery.open(dir)) {
            gallery.addPerson("Alice Smith");
            for (String clash : List.of("ALICE SMITH", "  alice smith ", "Alice   Smith")) {
                DuplicateEntryException e = assertThrows(DuplicateEntryException.class, () -> gallery.addPerson(clash));
                assertTrue(e.getMessage().contains("\"Alice Smith\" is already taken"), e.getMessage());
            }
            // the two Unicode spellings of é are one name
            gallery.addPerson("Jos\u00e9");
            assertThrows(DuplicateEntryException.class, () -> gallery.addPerson("Jose\u0301"));
            assertEquals(2, gallery.people().size());
        }
    }

    @Test
    void refusesInvalidNamesWithClearMessages() {
        try (Gallery gallery = Gallery.open(dir)) {
            assertMessage(() -> gallery.addPerson("   "), "must not be blank");
            assertMessage(() -> gallery.addPerson(null), "missing");
            assertMessage(() -> gallery.addPerson("x".repeat(65)), "at most 64 characters, got 65");
            assertMessage(() -> gallery.addPerson("Bob\u0007"), "U+0007 at position 4");
            assertMessage(() -> gallery.addPerson("Eve\u202Eevil"), "U+202E");
            assertMessage(() -> gallery.addPerson("two\nlines"), "U+000A");
            assertEquals("y".repeat(64), gallery.addPerson("y".repeat(64)).name());
            assertEquals(1, gallery.people().size());
        }
    }

    private static void assertMessage(Runnable action, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void renamesAndRefusesCollisions() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            Person bob = gallery.addPerson("Bob");
            assertThrows(DuplicateEntryException.class, () -> gallery.rename(bob.id(), "alice"));
            assertEquals("Bob", gallery.person(bob.id()).orElseThrow().name());

            assertEquals("ALICE", gallery.rename(alice.id(), "ALICE").name()); // a person may change their own case
            Person robert = gallery.rename(bob.id(), "Robert");
            assertEquals(bob.created(), robert.created());
            assertTrue(gallery.findPerson("Bob").isEmpty());
            assertEquals(robert, gallery.findPerson("robert").orElseThrow());
            gallery.addPerson("Bob"); // the old name is free again
            assertThrows(NoSuchElementException.class, () -> gallery.rename(12345, "Nobody"));
            assertThrows(IllegalArgumentException.class, () -> gallery.rename(alice.id(), ""));
        }
    }

    @Test
    void enablesAndDisables() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            gallery.addPerson("Bob");
            assertFalse(gallery.setEnabled(alice.id(), false).enabled());
            assertFalse(gallery.person(alice.id()).orElseThrow().enabled());
            assertEquals(new Gallery.Counts(2, 1, 0), gallery.counts());
            assertTrue(gallery.setEnabled(alice.id(), true).enabled());
            assertThrows(NoSuchElementException.class, () -> gallery.setEnabled(777, true));
        }
    }

    @Test
    void storesTemplatesExactly() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            Embedding embedding = unit(1, 192);
            Template template = gallery.addTemplate(alice.id(), embedding, ENCODER, sha(1).toUpperCase(), 0.87);
            assertEquals(sha(1), template.sourceSha256());
            assertEquals(embedding, template.embedding());
            assertEquals(List.of(template), gallery.templates(alice.id()));
            assertEquals(List.of(template), gallery.templates());
            assertEquals(template, gallery.template(template.id()).orElseThrow());
            assertEquals(Map.of(ENCODER, 1), gallery.templateCountByEncoder());

            assertEquals(template, gallery.removeTemplate(template.id()));
            assertTrue(gallery.templates(alice.id()).isEmpty());
            assertTrue(gallery.templateCountByEncoder().isEmpty());
            assertThrows(NoSuchElementException.class, () -> gallery.removeTemplate(template.id()));
        }
    }

    @Test
    void refusesDuplicateAndInvalidTemplates() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            Person bob = gallery.addPerson("Bob");
            Template first = gallery.addTemplate(alice.id(), unit(1, 192), ENCODER, sha(1), 0.9);

            DuplicateEntryException duplicate = assertThrows(DuplicateEntryException.class,
                    () -> gallery.addTemplate(alice.id(), unit(2, 192), ENCODER, sha(1), 0.9));
            assertTrue(duplicate.getMessage().contains("already has template " + first.id()), duplicate.getMessage());
            // the same photo may be enrolled for someone else, or re-encoded by another encoder
            gallery.addTemplate(bob.id(), unit(3, 192), ENCODER, sha(1), 0.9);
            gallery.addTemplate(alice.id(), unit(4, 128), "doorman-128", sha(1), 0.9);

            assertMessage(() -> gallery.addTemplate(alice.id(), unit(5, 128), ENCODER, sha(5), 0.9), "makes 192-value embeddings");
            assertMessage(() -> gallery.addTemplate(alice.id(), new Embedding(new float[192]), ENCODER, sha(6), 0.9), "L2-normalised");
            assertMessage(() -> gallery.addTemplate(alice.id(), unit(7, 192), ENCODER, "abc", 0.9), "64 hex digits");
            assertMessage(() -> gallery.addTemplate(alice.id(), unit(8, 192), ENCODER, sha(8), Double.NaN), "finite");
            assertMessage(() -> gallery.addTemplate(alice.id(), unit(9, 192), " ", sha(9), 0.9), "encoder name must not be blank");
            assertThrows(NoSuchElementException.class, () -> gallery.addTemplate(999, unit(10, 192), ENCODER, sha(10), 0.9));
            assertThrows(NoSuchElementException.class, () -> gallery.templates(999));
            assertEquals(3, gallery.templates().size());
            assertEquals(Map.of(ENCODER, 2, "doorman-128", 1), gallery.templateCountByEncoder());
        }
    }

    @Test
    void removingAPersonRemovesTheirTemplates() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            Person bob = gallery.addPerson("Bob");
            gallery.addTemplate(alice.id(), unit(1, 192), ENCODER, sha(1), 0.9);
            gallery.addTemplate(alice.id(), unit(2, 192), ENCODER, sha(2), 0.9);
            Template bobs = gallery.addTemplate(bob.id(), unit(3, 192), ENCODER, sha(3), 0.9);

            assertEquals(2, gallery.removePerson(alice.id()));
            assertTrue(gallery.person(alice.id()).isEmpty());
            assertThrows(NoSuchElementException.class, () -> gallery.templates(alice.id()));
            assertEquals(List.of(bobs), gallery.templates());
            assertEquals(new Gallery.Counts(1, 1, 1), gallery.counts());
            assertThrows(NoSuchElementException.class, () -> gallery.removePerson(alice.id()));

            Person newAlice = gallery.addPerson("Alice");
            assertTrue(newAlice.id() > bob.id(), "ids are never reused, so old audit entries stay unambiguous");
        }
    }

    @Test
    void aFailedChangeIsRolledBack() {
        try (Gallery gallery = Gallery.open(dir)) {
            Person alice = gallery.addPerson("Alice");
            gallery.addTemplate(alice.id(), unit(1, 192), ENCODER, sha(1), 0.9);
            gallery.addTemplate(alice.id(), unit(2, 192), ENCODER, sha(2), 0.9);
            List<Template> before = gallery.templates();

            gallery.beforeCommit = () -> {
                throw new IllegalStateException("power cut");
            };
            assertThrows(IllegalStateException.class, () -> gallery.removePerson(alice.id()));
            assertThrows(IllegalStateException.class, () -> gallery.addPerson("Bob"));
            gallery.beforeCommit = () -> { };

            assertEquals(List.of(alice), gallery.people());
            assertEquals(before, gallery.templates());
            assertEquals(before, gallery.templates(alice.id()));
            assertTrue(gallery.findPerson("Bob").isEmpty());
            assertEquals(Map.of(ENCODER, 2), gallery.templateCountByEncoder());
            assertEquals(alice.id() + 1, gallery.addPerson("Bob").id(), "the rolled-back id counter is reused");
        }
    }

    @Test
    void keepsEverythingAcrossReopen() {
        Person alice;
        Template template;
        try (Gallery gallery = Gallery.open(dir)) {
            alice = gallery.addPerson("Alice");
            template = gallery.addTemplate(alice.id(), unit(1, 192), ENCODER, sha(1), 0.75);
            gallery.setEnabled(alice.id(), false);
        }
        try (Gallery gallery = Gallery.open(dir)) {
            Person stored = gallery.person(alice.id()).orElseThrow();
            assertEquals(alice.name(), stored.name());
            assertEquals(alice.created(), stored.created());
            assertFalse(stored.enabled());
            assertEquals(List.of(template), gallery.templates());
            assertTrue(gallery.addPerson("Bob").id() > alice.id());
            assertTrue(gallery.addTemplate(alice.id(), unit(2, 192), ENCODER, sha(2), 0.5).id() > template.id());
        }
    }

    @Test
    void refusesASecondOpenInTheSameProcess() {
        try (Gallery first = Gallery.open(dir)) {
            GalleryException e = assertThrows(GalleryException.class, () -> Gallery.open(dir));
            assertTrue(e.getMessage().contains("is in use by another doorman process"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.resolve(Gallery.STORE_FILE).toString()), e.getMessage());
            // also through another spelling of the same directory
            assertThrows(GalleryException.class, () -> Gallery.open(dir.resolve("sub/..")));
            first.addPerson("Still Works");
        }
        try (Gallery again = Gallery.open(dir)) {
            assertEquals(1, again.people().size());
        }
    }

    @Test
    void committedChangesSurviveWithoutClose() throws Exception {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Path data = dir.resolve("data");
        Gallery gallery = Gallery.open(data);
        try {
            Person alice = gallery.addPerson("Alice");
            Template template = gallery.addTemplate(alice.id(), unit(1, 192), ENCODER, sha(1), 0.9);
            // copying the files of the open store is what a power cut leaves behind: the store as it was mid-use
            try (Stream<Path> files = Files.list(data)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(Gallery.STORE_FILE)
                        || f.getFileName().toString().equals(GalleryKeys.FILE)).toList())
                    Files.copy(file, copy.resolve(file.getFileName()));
            }
            try (Gallery recovered = Gallery.open(copy)) {
                assertEquals(List.of(alice), recovered.people());
                assertEquals(List.of(template), recovered.templates());
            }
        } finally {
            gallery.close();
        }
    }

    @Test
    void reportsADamagedFileAndLeavesItAlone() throws Exception {
        try (Gallery gallery = Gallery.open(dir)) {
            gallery.addPerson("Alice");
        }
        Path store = dir.resolve(Gallery.STORE_FILE);
        byte[] original = Files.readAllBytes(store);
        byte[] damaged = original.clone();
        Arrays.fill(damaged, 16, 48, (byte) 0x5A);
        Files.write(store, damaged);

        GalleryException e = assertThrows(GalleryException.class, () -> Gallery.open(dir));
        assertTrue(e.getMessage().contains(store.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("from a backup"), e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(store), "the damaged file must stay untouched");

        Files.write(store, original); // restoring the backup works, so the failed open released its lock
        try (Gallery gallery = Gallery.open(dir)) {
            assertEquals("Alice", gallery.people().get(0).name());
        }
    }

    @Test
    void reportsAFileThatIsNoMapDbStore() throws Exception {
        Files.writeString(dir.resolve(Gallery.STORE_FILE), "these are my holiday notes, not a gallery\n");
        GalleryException e = assertThrows(GalleryException.class, () -> Gallery.open(dir));
        assertTrue(e.getMessage().contains("damaged or unreadable"), e.getMessage());
        assertEquals("these are my holiday notes, not a gallery\n", Files.readString(dir.resolve(Gallery.STORE_FILE)));
    }

    @Test
    void reportsADataDirectoryThatIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        GalleryException e = assertThrows(GalleryException.class, () -> Gallery.open(file));
        assertTrue(e.getMessage().contains("cannot use " + file + " as the data directory"), e.getMessage());
    }

    @Test
    void refusesOtherMapDbStoresAndNewerFormats() {
        Path other = dir.resolve("other");
        Path newer = dir.resolve("newer");
        makeStore(other, db -> db.treeMap("orders", Serializer.LONG, Serializer.STRING).createOrOpen().put(1L, "x"));
        makeStore(newer, db -> db.treeMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen()
                .put("version", (long) Gallery.FORMAT_VERSION + 1));

        GalleryException notOurs = assertThrows(GalleryException.class, () -> Gallery.open(other));
        assertTrue(notOurs.getMessage().contains("not a doorman gallery"), notOurs.getMessage());
        GalleryException tooNew = assertThrows(GalleryException.class, () -> Gallery.open(newer));
        assertTrue(tooNew.getMessage().contains("upgrade doorman"), tooNew.getMessage());
    }

    private static void makeStore(Path directory, java.util.function.Consumer<DB> fill) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        DB db = DBMaker.fileDB(directory.resolve(Gallery.STORE_FILE).toFile()).transactionEnable().make();
        fill.accept(db);
        db.commit();
        db.close();
    }

    @Test
    void servesManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Gallery gallery = Gallery.open(dir)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        Person person = gallery.addPerson("worker " + thread + " person " + i);
                        gallery.addTemplate(person.id(), unit(thread * 100L + i, 64), "tiny", sha(i), 0.5);
                        assertFalse(gallery.people().isEmpty());
                        assertEquals(1, gallery.templates(person.id()).size());
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) job.get(60, TimeUnit.SECONDS);
            assertEquals(new Gallery.Counts(40, 40, 40), gallery.counts());
            assertEquals(40, gallery.people().stream().map(Person::id).distinct().count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesUseAfterClose() {
        Gallery gallery = Gallery.open(dir);
        gallery.close();
        gallery.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, gallery::people);
        assertTrue(e.getMessage().contains("closed"));
        try (Gallery reopened = Gallery.open(dir)) { // close released the lock
            assertTrue(reopened.people().isEmpty());
        }
    }
}
