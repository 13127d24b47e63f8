package doorman.gallery;

import doorman.embedding.Embedding;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Records to and from plain bytes. A leading layout byte lets a later format add fields while still
 * reading old records; Java serialization is avoided so renaming a class never strands the data.
 */
final class RecordCodec {

    private static final byte PERSON_LAYOUT = 1;
    private static final byte TEMPLATE_LAYOUT = 1;
    /** Larger than any face embedding; guards the allocation when a damaged record claims a huge length. */
    private static final int MAX_DIMENSION = 4096;

    private RecordCodec() {
    }

    /** A stored record that cannot be decoded: the store is damaged. */
    static final class UnreadableRecord extends RuntimeException {
        UnreadableRecord(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static byte[] encode(Person person) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PERSON_LAYOUT);
            out.writeLong(person.id());
            out.writeUTF(person.name());
            writeInstant(out, person.created());
            out.writeBoolean(person.enabled());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return bytes.toByteArray();
    }

    static Person decodePerson(long key, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            expectLayout(in, PERSON_LAYOUT, "person");
            Person person = new Person(in.readLong(), in.readUTF(), readInstant(in), in.readBoolean());
            expectEnd(in);
            expectKey(person.id(), "person", key);
            return person;
        } catch (IOException | RuntimeException e) {
            throw unreadable("person", key, e);
        }
    }

    static byte[] encode(Template template) {
        float[] values = template.embedding().values();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + 4 * values.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(TEMPLATE_LAYOUT);
            out.writeLong(template.id());
            out.writeLong(template.personId());
            out.writeUTF(template.encoder());
            out.writeUTF(template.sourceSha256());
            out.writeDouble(template.quality());
            writeInstant(out, template.created());
            out.writeInt(values.length);
            for (float v : values) out.writeFloat(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Template decodeTemplate(long key, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            expectLayout(in, TEMPLATE_LAYOUT, "template");
            long id = in.readLong();
            long personId = in.readLong();
            String encoder = in.readUTF();
            String sha = in.readUTF();
            double quality = in.readDouble();
            Instant created = readInstant(in);
            int dimension = in.readInt();
            if (dimension <= 0 || dimension > MAX_DIMENSION) throw new IOException("embedding dimension " + dimension);
            float[] values = new float[dimension];
            for (int i = 0; i < dimension; i++) values[i] = in.readFloat();
            expectEnd(in);
            expectKey(id, "template", key);
            return new Template(id, personId, new Embedding(values), encoder, sha, quality, created);
        } catch (IOException | RuntimeException e) {
            throw unreadable("template", key, e);
        }
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void expectLayout(DataInputStream in, byte expected, String kind) throws IOException {
        byte layout = in.readByte();
        if (layout != expected) throw new IOException("unknown " + kind + " layout " + layout + " (expected " + expected + ")");
    }

    private static void expectEnd(DataInputStream in) throws IOException {
        if (in.available() != 0) throw new IOException(in.available() + " unexpected trailing bytes");
    }

    private static void expectKey(long id, String kind, long key) throws IOException {
        if (id != key) throw new IOException(kind + " record holds id " + id);
    }

    private static UnreadableRecord unreadable(String kind, long key, Exception cause) {
        if (cause instanceof UnreadableRecord u) return u;
        return new UnreadableRecord(kind + " " + key + " is unreadable: " + cause.getMessage(), cause);
    }
}
