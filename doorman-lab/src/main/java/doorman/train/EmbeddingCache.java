package doorman.train;

import doorman.modeltool.LittleEndianData;
import doorman.modeltool.ChecksummedFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Encoder embeddings of a whole dataset, saved so that re-running training does not re-embed thousands of
 * images. A cache belongs to one encoder (by the sha256 of its model file) and one dataset root; a cache
 * made with another model or for another root is stale and {@link #loadIfFresh} ignores it.
 *
 * <p>File format, little-endian, strings as int32 UTF-8 byte count then the bytes:
 * <pre>
 *   magic "DMEC" (4 ASCII bytes), int32 version (1)
 *   string encoder sha256 (lowercase hex), string dataset root (absolute, normalised)
 *   int32 dimension, int32 entry count
 *   per entry: string relative path ('/'-separated), string person, float32[dimension] embedding
 *   int32 CRC-32 of all preceding bytes
 * </pre>
 */
public record EmbeddingCache(Key key, int dimension, List<Entry> entries) {

    private static final byte[] MAGIC = "DMEC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_STRING = 4096;
    private static final int MAX_DIMENSION = 4096;

    /** Which encoder and dataset the embeddings came from. */
    public record Key(String encoderSha256, String datasetRoot) {

        public Key {
            if (!encoderSha256.matches("[0-9a-f]{64}"))
                throw new IllegalArgumentException("encoder sha256 must be 64 lowercase hex digits, got " + encoderSha256);
            if (datasetRoot.isEmpty()) throw new IllegalArgumentException("dataset root is empty");
        }

        /** Hashes the model file and resolves the root to an absolute, normalised path. */
        public static Key of(Path encoderModel, Path datasetRoot) throws IOException {
            return new Key(sha256(encoderModel), datasetRoot.toAbsolutePath().normalize().toString());
        }
    }

    /** One image: its path relative to the dataset root, its person and its embedding. */
    public record Entry(String relativePath, String person, float[] embedding) {

        public Entry {
            if (relativePath.isEmpty() || person.isEmpty()) throw new IllegalArgumentException("path and person must be set");
            embedding = embedding.clone();
        }

        @Override
        public float[] embedding() {
            return embedding.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && relativePath.equals(e.relativePath) && person.equals(e.person)
                    && Arrays.equals(embedding, e.embedding);
        }

        @Override
        public int hashCode() {
            return relativePath.hashCode() * 31 + Arrays.hashCode(embedding);
        }
    }

    public EmbeddingCache {
        if (dimension < 1 || dimension > MAX_DIMENSION) throw new IllegalArgumentException("bad dimension " + dimension);
        entries = List.copyOf(entries);
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (Entry e : entries) {
            if (e.embedding.length != dimension)
                throw new IllegalArgumentException(e.relativePath + " has " + e.embedding.length + " values, not " + dimension);
            if (!paths.add(e.relativePath)) throw new IllegalArgumentException("duplicate entry " + e.relativePath);
        }
    }

    public boolean isFor(Key expected) {
        return key.equals(expected);
    }

    /** Embeddings in entry order. */
    public float[][] embeddings() {
        float[][] rows = new float[entries.size()][];
        for (int i = 0; i < rows.length; i++) rows[i] = entries.get(i).embedding;
        return rows;
    }

    /** People in sorted order; {@link #personIds()} indexes this list. */
    public List<String> people() {
        return entries.stream().map(Entry::person).distinct().sorted().toList();
    }

    /** Each entry's person as an index into {@link #people()}. */
    public int[] personIds() {
        Map<String, Integer> index = new TreeMap<>();
        List<String> people = people();
        for (int i = 0; i < people.size(); i++) index.put(people.get(i), i);
        return entries.stream().mapToInt(e -> index.get(e.person)).toArray();
    }

    /** Entries by relative path, so a caller can embed only images the cache lacks. */
    public Map<String, Entry> byRelativePath() {
        Map<String, Entry> map = new TreeMap<>();
        for (Entry e : entries) map.put(e.relativePath, e);
        return map;
    }

    public void save(Path file) throws IOException {
        ChecksummedFiles.write(file, out -> {
            out.write(MAGIC);
            LittleEndianData.writeInt(out, VERSION);
            LittleEndianData.writeString(out, key.encoderSha256);
            LittleEndianData.writeString(out, key.datasetRoot);
            LittleEndianData.writeInt(out, dimension);
            LittleEndianData.writeInt(out, entries.size());
            for (Entry e : entries) {
                LittleEndianData.writeString(out, e.relativePath);
                LittleEndianData.writeString(out, e.person);
                LittleEndianData.writeFloats(out, e.embedding);
            }
        });
    }

    public static EmbeddingCache load(Path file) throws IOException {
        return ChecksummedFiles.read(file, in -> {
            Key key = readKey(file, in);
            int dimension = LittleEndianData.readInt(in);
            int count = LittleEndianData.readInt(in);
            if (dimension < 1 || dimension > MAX_DIMENSION || count < 0)
                throw new IOException(file + " is corrupt: dimension " + dimension + ", " + count + " entries");
            List<Entry> entries = new ArrayList<>(Math.min(count, 1 << 16));
            try {
                for (int i = 0; i < count; i++) {
                    String path = LittleEndianData.readString(in, MAX_STRING);
                    String person = LittleEndianData.readString(in, MAX_STRING);
                    entries.add(new Entry(path, person, LittleEndianData.readFloats(in, dimension)));
                }
                return new EmbeddingCache(key, dimension, entries);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is corrupt: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The cache in {@code file} if it exists and was made for {@code expected}; empty if the file is absent
     * or stale (another encoder or dataset root). Only the header is read to decide.
     *
     * @throws IOException if the file exists but is damaged
     */
    public static Optional<EmbeddingCache> loadIfFresh(Path file, Key expected) throws IOException {
        Key stored;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            stored = readKey(file, new DataInputStream(raw));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return stored.equals(expected) ? Optional.of(load(file)) : Optional.empty();
    }

    /** Lowercase hex sha256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Key readKey(Path file, DataInputStream in) throws IOException {
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new IOException(file + " is not an embedding cache (bad magic)");
            int version = LittleEndianData.readInt(in);
            if (version != VERSION) throw new IOException(file + " has unsupported cache format version " + version);
            String sha = LittleEndianData.readString(in, MAX_STRING);
            String root = LittleEndianData.readString(in, MAX_STRING);
            return new Key(sha, root);
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is not an embedding cache (too short)", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is corrupt: " + e.getMessage(), e);
        }
    }
}
