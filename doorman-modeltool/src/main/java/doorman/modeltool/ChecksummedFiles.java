package doorman.modeltool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Binary files that end in a little-endian CRC-32 of everything before it, written to a temporary file and
 * moved into place, so a crash mid-write never leaves a half file and a damaged file is refused on reading.
 */
public final class ChecksummedFiles {

    public interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    public interface Parser<T> {
        T read(DataInputStream in) throws IOException;
    }

    private ChecksummedFiles() {
    }

    public static void write(Path file, Body body) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc))) {
                body.write(out);
                out.flush();
                int checksum = (int) crc.getValue();
                LittleEndianData.writeInt(new DataOutputStream(raw), checksum);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static <T> T read(Path file, Parser<T> parser) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc))) {
            T value;
            try {
                value = parser.read(in);
            } catch (java.io.EOFException e) {
                throw new IOException(file + " is truncated", e);
            }
            int expected = (int) crc.getValue();
            DataInputStream trailer = new DataInputStream(raw);
            int stored;
            try {
                stored = LittleEndianData.readInt(trailer);
            } catch (java.io.EOFException e) {
                throw new IOException(file + " is truncated: checksum missing", e);
            }
            if (stored != expected) throw new IOException(file + " is corrupt: checksum mismatch");
            if (raw.read() != -1) throw new IOException(file + " has trailing bytes after its checksum");
            return value;
        }
    }
}
