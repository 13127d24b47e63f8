package doorman.gallery;

import doorman.embedding.Embedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.Serializer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a copy of the data directory's files gives away: nothing in clear, and nothing at all of a removed person. */
class GalleryAtRestTest {

    static final String ENCODER = "doorman-128";
    static final String NAME = "Zebulon Quartermaine";

    @TempDir
    Path dir;

    @Test
    void namesAndEmbeddingsNeverAppearInTheFilesAndRemovalShredsThem() throws Exception {
        Embedding face = GalleryTest.unit(7, 128);
        long id;
        List<byte[]> sealedBeforeRemoval = new ArrayList<>();
        try (Gallery gallery = Gallery.open(dir)) {
            Gallery.Enrolment e = gallery.enroll(NAME, List.of(
                    new Gallery.TemplateInput(face, ENCODER, GalleryTest.sha(1), 0.9),
                    new Gallery.TemplateInput(GalleryTest.unit(8, 128), ENCODER, GalleryTest.sha(2), 0.9)));
            id = e.person().id();
            gallery.setSchedule(id, "mon-fri 08:00-18:00");
            gallery.rename(id, NAME + " Jr");
            gallery.addPerson("Other Person");
        }
        assertNothingInClear(face);
        GalleryIntegrityTest.withRawStore(dir, db -> {
            sealedBeforeRemoval.add(db.treeMap("people", Serializer.LONG, Serializer.BYTE_ARRAY).open().get(id));
            sealedBeforeRemoval.addAll(db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).open().values());
        });
        byte[] keyBefore = GalleryKeys.load(dir, false).personKey(id).orElseThrow().clone();

        try (Gallery gallery = Gallery.open(dir)) {
            assertEquals(2, gallery.removePerson(id));
        }
        assertNothingInClear(face);
        GalleryKeys after = GalleryKeys.load(dir, false);
        assertTrue(after.personKey(id).isEmpty(), "the removed person's key must be gone");
        assertFalse(contains(Files.readAllBytes(dir.resolve(GalleryKeys.FILE)), keyBefore), "the key bytes must not remain");
        // whatever old copies MapDB keeps in its free space, no key left in the data directory opens them
        for (byte[] sealed : sealedBeforeRemoval)
            for (long other : after.personIds())
                assertThrows(RecordSeal.BrokenSeal.class, () -> RecordSeal.openPerson(id, after.personKey(other).orElseThrow(), sealed));
        byte[] template = sealedBeforeRemoval.get(1);
        for (long other : after.personIds())
            assertThrows(RecordSeal.BrokenSeal.class, () -> RecordSeal.openTemplate(1, after.personKey(other).orElseThrow(), template));
    }

    private void assertNothingInClear(Embedding face) throws Exception {
        List<byte[]> needles = new ArrayList<>();
        for (String name : List.of(NAME, NAME + " Jr", "Zebulon", "zebulon quartermaine", "mon-fri 08:00-18:00")) {
            needles.add(name.getBytes(StandardCharsets.UTF_8));
            needles.add(name.getBytes(StandardCharsets.UTF_16BE));
        }
        // any three consecutive embedding values, in either byte order
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN))
            for (int i = 0; i + 3 <= 128; i += 16) {
                ByteBuffer b = ByteBuffer.allocate(12).order(order);
                for (int k = 0; k < 3; k++) b.putFloat(face.values()[i + k]);
                needles.add(b.array());
            }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (byte[] needle : needles)
                    assertFalse(contains(bytes, needle), file.getFileName() + " holds " + new String(needle, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void theDataDirectoryIsPrivateWhateverItWasMadeWith() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(data.resolve("api-token"), "x");
        Files.setPosixFilePermissions(data.resolve("api-token"), PosixFilePermissions.fromString("rw-rw-rw-"));
        try (Gallery gallery = Gallery.open(data)) {
            gallery.enroll("Alice", List.of(new Gallery.TemplateInput(GalleryTest.unit(1, 128), ENCODER, GalleryTest.sha(1), 0.9)));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        try (Stream<Path> files = Files.list(data)) {
            List<Path> all = files.toList();
            assertTrue(all.stream().anyMatch(f -> f.getFileName().toString().equals(GalleryKeys.FILE)));
            for (Path f : all)
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        Path fresh = dir.resolve("fresh").resolve("nested");
        Gallery.open(fresh).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
