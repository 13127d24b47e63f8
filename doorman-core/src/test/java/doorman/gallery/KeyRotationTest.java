package doorman.gallery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.Serializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code doorman keys rotate}: everything re-sealed under fresh keys in a new store file, the content unchanged,
 * and a crash at any step of the swap leaving a gallery that opens with the same content.
 */
class KeyRotationTest {

    private static final String ENCODER = "doorman-128";

    @TempDir
    Path dir;

    @Test
    void rotationKeepsEveryRecordAndNoOldKeyOpensTheNewFiles() throws Exception {
        fill(dir);
        String before = content(dir);
        List<byte[]> oldKeys = allKeys(GalleryKeys.load(dir, false));
        List<byte[]> oldSealed = sealedRecords(dir);

        KeyRotation.Result result = KeyRotation.rotate(dir);

        assertEquals(new KeyRotation.Result(3, 5), result);
        assertEquals(before, content(dir), "people, templates bit for bit, thumbnails, schedules and enabled flags are unchanged");
        assertTrue(before.contains(" thumbnail "), "the content compared includes a thumbnail");
        GalleryKeys fresh = GalleryKeys.load(dir, false);
        for (byte[] old : oldKeys)
            for (byte[] now : allKeys(fresh)) assertFalse(java.util.Arrays.equals(old, now), "every key is new");
        // every record of the new store is a new sealing, and none opens with any old key
        List<byte[]> newSealed = sealedRecords(dir);
        assertEquals(oldSealed.size(), newSealed.size());
        for (byte[] sealed : newSealed) {
            assertTrue(oldSealed.stream().noneMatch(o -> java.util.Arrays.equals(o, sealed)));
            for (byte[] old : oldKeys) assertFalse(opensWith(sealed, old), "a new record opened with an old key");
        }
        assertNoRotationFilesLeft(dir);
        try (Gallery gallery = Gallery.open(dir)) {
            assertTrue(gallery.quarantined().isEmpty());
            assertTrue(gallery.findPerson("Ada Lovelace").isPresent(), "the name index works with the new index key");
            gallery.addPerson("Someone New"); // and the rotated gallery takes changes
        }
    }

    @Test
    void aCrashAtAnyStepLeavesAGalleryThatOpensWithTheSameContent() throws Exception {
        for (KeyRotation.Step step : KeyRotation.Step.values()) {
            Path data = dir.resolve(step.name());
            fill(data);
            String before = content(data);
            Gallery gallery = Gallery.open(data);
            RuntimeException crash = assertThrows(RuntimeException.class, () -> gallery.rotateKeys(s -> {
                if (s == step) throw new IllegalStateException("simulated crash at " + s);
            }));
            assertEquals("simulated crash at " + step, crash.getMessage());
            gallery.close();
            assertEquals(before, content(data), "after a crash at " + step);
            try (Gallery reopened = Gallery.open(data)) {
                assertTrue(reopened.quarantined().isEmpty(), step + ": " + reopened.quarantined());
            }
            assertNoRotationFilesLeft(data);
            // and the next rotation still works
            assertEquals(new KeyRotation.Result(3, 5), KeyRotation.rotate(data));
            assertEquals(before, content(data), "rotated after the crash at " + step);
        }
    }

    @Test
    void refusedWhileTheStoreIsOpenAndWithQuarantinedRecords() throws Exception {
        fill(dir);
        try (Gallery open = Gallery.open(dir)) {
            GalleryException refused = assertThrows(GalleryException.class, () -> KeyRotation.rotate(dir));
            assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        }
        // damage one template's seal: it is quarantined, and a rotation cannot re-seal it
        GalleryIntegrityTest.withRawStore(dir, db -> {
            var templates = db.treeMap("templates", Serializer.LONG, Serializer.BYTE_ARRAY).open();
            byte[] sealed = templates.get(templates.firstKey()).clone();
            sealed[sealed.length - 1] ^= 1;
            templates.put(templates.firstKey(), sealed);
            db.commit();
        });
        String before = content(dir);
        GalleryException refused = assertThrows(GalleryException.class, () -> KeyRotation.rotate(dir));
        assertTrue(refused.getMessage().contains("quarantined"), refused.getMessage());
        assertEquals(before, content(dir));
        assertNoRotationFilesLeft(dir);
    }

    /** Three people (one disabled, one with a schedule), five templates, a household sync record. */
    static void fill(Path data) {
        try (Gallery gallery = Gallery.open(data)) {
            long ada = gallery.enroll("Ada Lovelace", List.of(withThumbnail(1), input(2))).person().id();
            long alan = gallery.enroll("Alan Turing", List.of(input(3), input(4))).person().id();
            gallery.enroll("Grace Hopper", List.of(input(5)));
            gallery.setEnabled(alan, false);
            gallery.setSchedule(ada, "mon-fri 08:00-18:00");
            gallery.putSyncRecord("household/peer", new byte[]{1, 2, 3});
            long gone = gallery.enroll("Removed Person", List.of(input(6))).person().id();
            gallery.removePerson(gone);
        }
    }

    /** A template with a picture kept beside it (any bytes: the gallery does not decode thumbnails). */
    private static Gallery.TemplateInput withThumbnail(int n) {
        byte[] picture = new byte[600];
        for (int i = 0; i < picture.length; i++) picture[i] = (byte) (i * 31 + n);
        return new Gallery.TemplateInput(GalleryTest.unit(n, 128), ENCODER, GalleryTest.sha(n), 0.5 + n / 100.0, picture);
    }

    private static Gallery.TemplateInput input(int n) {
        return new Gallery.TemplateInput(GalleryTest.unit(n, 128), ENCODER, GalleryTest.sha(n), 0.5 + n / 100.0);
    }

    /** Everything observable, as text: people with flags and schedules, templates with their exact float bits. */
    static String content(Path data) {
        StringBuilder out = new StringBuilder();
        try (Gallery gallery = Gallery.open(data)) {
            for (Person p : gallery.people()) {
                out.append(p).append(" schedule=").append(gallery.schedule(p.id()).orElse("always")).append('\n');
                for (Template t : gallery.templates(p.id())) {
                    out.append("  template ").append(t.id()).append(' ').append(t.encoder()).append(' ')
                            .append(t.sourceSha256()).append(' ').append(t.quality());
                    for (float v : t.embedding().values()) out.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
                    gallery.thumbnail(t.id()).ifPresent(jpeg -> out.append(" thumbnail ").append(java.util.Arrays.hashCode(jpeg)));
                    out.append('\n');
                }
            }
            Map<String, String> sync = new LinkedHashMap<>();
            gallery.syncRecords().forEach((k, v) -> sync.put(k, java.util.Arrays.toString(v)));
            out.append("sync ").append(sync).append(" counts ").append(gallery.counts());
        }
        return out.toString();
    }

    private static List<byte[]> allKeys(GalleryKeys keys) {
        List<byte[]> all = new ArrayList<>();
        all.add(keys.indexKey().clone());
        for (long id : keys.personIds()) all.add(keys.personKey(id).orElseThrow().clone());
        return all;
    }

    /** The sealed people, schedules and templates exactly as stored. */
    private static List<byte[]> sealedRecords(Path data) throws Exception {
        List<byte[]> all = new ArrayList<>();
        GalleryIntegrityTest.withRawStore(data, db -> {
            for (String map : List.of("people", "schedules", "templates", "thumbnails"))
                db.treeMap(map, Serializer.LONG, Serializer.BYTE_ARRAY).open().forEach((id, sealed) -> all.add(kindAndId(map, id, sealed)));
        });
        return all;
    }

    /** Prefixes the record with its kind and id so {@link #opensWith} knows how to try it. */
    private static byte[] kindAndId(String map, long id, byte[] sealed) {
        byte[] out = new byte[sealed.length + 9];
        out[0] = (byte) (map.equals("thumbnails") ? 'h' : map.charAt(0));
        java.nio.ByteBuffer.wrap(out, 1, 8).putLong(id);
        System.arraycopy(sealed, 0, out, 9, sealed.length);
        return out;
    }

    private static boolean opensWith(byte[] record, byte[] key) {
        long id = java.nio.ByteBuffer.wrap(record, 1, 8).getLong();
        byte[] sealed = java.util.Arrays.copyOfRange(record, 9, record.length);
        try {
            switch (record[0]) {
                case 'p' -> RecordSeal.openPerson(id, key, sealed);
                case 's' -> RecordSeal.openSchedule(id, key, sealed);
                case 'h' -> RecordSeal.openThumbnail(id, key, sealed);
                default -> RecordSeal.openTemplate(id, key, sealed);
            }
            return true;
        } catch (RecordSeal.BrokenSeal e) {
            return false;
        }
    }

    private static void assertNoRotationFilesLeft(Path data) throws Exception {
        try (Stream<Path> files = Files.list(data)) {
            List<String> left = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".new") || n.equals(KeyRotation.MARKER) || n.endsWith(".tmp")).toList();
            assertEquals(List.of(), left);
        }
    }
}
