package doorman.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingCacheTest {

    @TempDir
    Path dir;

    @Test
    void keyHashesTheModelAndNormalisesTheRoot() throws IOException {
        Path model = dir.resolve("model.tflite");
        Files.writeString(model, "abc", StandardCharsets.US_ASCII);
        EmbeddingCache.Key key = EmbeddingCache.Key.of(model, dir.resolve("data/../data/lfw"));
        // the published SHA-256 test vector of "abc"
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", key.encoderSha256());
        assertEquals(dir.toAbsolutePath().resolve("data/lfw").toString(), key.datasetRoot());
    }

    @Test
    void roundTripsAndServesTrainingArrays() throws IOException {
        EmbeddingCache cache = sample(key('a'));
        Path file = dir.resolve("cache/embeddings.bin");
        cache.save(file);
        EmbeddingCache loaded = EmbeddingCache.load(file);
        assertEquals(cache, loaded);
        assertEquals(List.of("Ada_Lovelace", "Alan_Turing"), loaded.people());
        assertArrayEquals(new int[]{1, 0, 1}, loaded.personIds());
        assertArrayEquals(new float[]{0, 1, 0}, loaded.embeddings()[1]);
        assertTrue(loaded.byRelativePath().containsKey("Alan_Turing/Alan_Turing_0002.jpg"));
    }

    @Test
    void staleOrMissingCachesAreIgnoredButDamagedOnesAreReported() throws IOException {
        Path file = dir.resolve("embeddings.bin");
        assertTrue(EmbeddingCache.loadIfFresh(file, key('a')).isEmpty(), "no file yet");
        sample(key('a')).save(file);
        assertTrue(EmbeddingCache.loadIfFresh(file, key('a')).isPresent());
        assertTrue(EmbeddingCache.loadIfFresh(file, key('b')).isEmpty(), "another encoder");
        assertTrue(EmbeddingCache.loadIfFresh(file, new EmbeddingCache.Key("a".repeat(64), "/elsewhere")).isEmpty(),
                "another dataset root");

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 8] ^= 0x40;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> EmbeddingCache.loadIfFresh(file, key('a')));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void refusesInconsistentEntries() {
        EmbeddingCache.Entry e3 = new EmbeddingCache.Entry("a/1.jpg", "a", new float[3]);
        EmbeddingCache.Entry e2 = new EmbeddingCache.Entry("a/2.jpg", "a", new float[2]);
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCache(key('a'), 3, List.of(e3, e2)));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCache(key('a'), 3, List.of(e3, e3)));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCache.Key("not-a-hash", "/data"));
    }

    private static EmbeddingCache.Key key(char digit) {
        return new EmbeddingCache.Key(String.valueOf(digit).repeat(64), "/data/lfw-train");
    }

    private static EmbeddingCache sample(EmbeddingCache.Key key) {
        return new EmbeddingCache(key, 3, List.of(
                new EmbeddingCache.Entry("Alan_Turing/Alan_Turing_0001.jpg", "Alan_Turing", new float[]{1, 0, 0}),
                new EmbeddingCache.Entry("Ada_Lovelace/Ada_Lovelace_0001.jpg", "Ada_Lovelace", new float[]{0, 1, 0}),
                new EmbeddingCache.Entry("Alan_Turing/Alan_Turing_0002.jpg", "Alan_Turing", new float[]{0.6f, 0.8f, 0})));
    }
}
