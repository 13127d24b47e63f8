package doorman.gallery;

import doorman.pictures.SnapshotStoreTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.Serializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A template's thumbnail is sealed with its person's key like the template: a copy of the files shows no picture,
 * it goes with its template or person, and after removal no key left opens its old sealed copies.
 */
class GalleryThumbnailTest {

    static final String ENCODER = "doorman-128";

    @TempDir
    Path dir;

    @Test
    void thumbnailsAreSealedKeptWithTheirTemplatesAndShreddedWithThePerson() throws Exception {
        byte[] picture = SnapshotStoreTest.faceJpeg(); // a real JPEG: it starts FF D8 FF and names JFIF
        long person, first, second, bare;
        try (Gallery gallery = Gallery.open(dir)) {
            Gallery.Enrolment e = gallery.enroll("Ada", List.of(
                    new Gallery.TemplateInput(GalleryTest.unit(1, 128), ENCODER, GalleryTest.sha(1), 0.9, picture),
                    new Gallery.TemplateInput(GalleryTest.unit(2, 128), ENCODER, GalleryTest.sha(2), 0.9, picture),
                    new Gallery.TemplateInput(GalleryTest.unit(3, 128), ENCODER, GalleryTest.sha(3), 0.9))); // enrolled with pictures off
            person = e.person().id();
            first = e.added().get(0).id();
            second = e.added().get(1).id();
            bare = e.added().get(2).id();
        }
        assertNoPictureInTheFiles(picture);
        List<byte[]> sealed = new ArrayList<>();
        GalleryIntegrityTest.withRawStore(dir, db -> sealed.addAll(db.treeMap("thumbnails", Serializer.LONG, Serializer.BYTE_ARRAY).open().values()));
        assertEquals(2, sealed.size());

        try (Gallery gallery = Gallery.open(dir)) { // kept across a restart
            assertArrayEquals(picture, gallery.thumbnail(first).orElseThrow());
            assertTrue(gallery.thumbnail(bare).isEmpty(), "a template enrolled without one has none");
            assertEquals(Set.of(first, second), gallery.templatesWithThumbnails());
            gallery.removeTemplate(first);
            assertTrue(gallery.thumbnail(first).isEmpty(), "deleted with its template");
            assertEquals(Set.of(second), gallery.templatesWithThumbnails());
            assertEquals(2, gallery.removePerson(person));
            assertTrue(gallery.thumbnail(second).isEmpty());
            assertTrue(gallery.templatesWithThumbnails().isEmpty());
        }
        assertNoPictureInTheFiles(picture);
        GalleryKeys keys = GalleryKeys.load(dir, false);
        for (byte[] old : sealed)
            for (long id : keys.personIds())
                assertThrows(RecordSeal.BrokenSeal.class, () -> RecordSeal.openThumbnail(second, keys.personKey(id).orElseThrow(), old));
    }

    @Test
    void aThumbnailMovedToAnotherTemplateDoesNotOpen() throws Exception {
        byte[] picture = SnapshotStoreTest.faceJpeg();
        long first, second;
        try (Gallery gallery = Gallery.open(dir)) {
            List<Template> added = gallery.enroll("Ada", List.of(
                    new Gallery.TemplateInput(GalleryTest.unit(1, 128), ENCODER, GalleryTest.sha(1), 0.9, picture),
                    new Gallery.TemplateInput(GalleryTest.unit(2, 128), ENCODER, GalleryTest.sha(2), 0.9))).added();
            first = added.get(0).id();
            second = added.get(1).id();
        }
        GalleryIntegrityTest.withRawStore(dir, db -> {
            var thumbnails = db.treeMap("thumbnails", Serializer.LONG, Serializer.BYTE_ARRAY).open();
            thumbnails.put(second, thumbnails.get(first));
        });
        try (Gallery gallery = Gallery.open(dir)) {
            assertTrue(gallery.thumbnail(second).isEmpty(), "sealed for template " + first + ", not " + second);
            assertTrue(gallery.thumbnail(first).isPresent());
            assertTrue(gallery.quarantined().isEmpty(), "a picture never quarantines who may enter");
        }
    }

    @Test
    void anOversizedThumbnailIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Gallery.TemplateInput(GalleryTest.unit(1, 128), ENCODER,
                GalleryTest.sha(1), 0.9, new byte[Gallery.MAX_THUMBNAIL_BYTES + 1]));
    }

    private void assertNoPictureInTheFiles(byte[] picture) throws Exception {
        byte[] jfif = "JFIF".getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                assertFalse(SnapshotStoreTest.contains(bytes, jfif), file + " shows a JPEG header");
                for (int at = 20; at + 16 <= picture.length; at += 101)
                    assertFalse(SnapshotStoreTest.contains(bytes, Arrays.copyOfRange(picture, at, at + 16)), file + " holds the picture");
            }
        }
    }
}
