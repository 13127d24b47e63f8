package doorman.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.vision.ImageDecoder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The CLI's conversation with the running daemon over its Unix socket: one request per connection. Every message
 * is a frame, a 4-byte big-endian length and that many bytes: the request's JSON, then one frame per photo (the
 * raw file bytes), then the answer's JSON.
 */
final class ControlProtocol {

    static final String SOCKET_NAME = "doorman.sock";
    /** The JSON of a request or an answer; a people list of a large household stays far below it. */
    static final int MAX_JSON_BYTES = 4 * 1024 * 1024;
    /** One photo: the limit the CLI and the uploads read photos with. */
    static final long MAX_PHOTO_BYTES = ImageDecoder.Limits.DEFAULT.maxBytes();
    /** All photos of one request together. */
    static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;
    /** How long the daemon waits for a whole request before it hangs up. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** How long the CLI waits for the answer (enrolling many photos on a Pi takes a while). */
    static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);

    static final ObjectMapper JSON = new ObjectMapper();

    private ControlProtocol() {}

    /**
     * @param op          hello, people, change, enroll, identify or verify
     * @param dataDir     the store the caller means; the daemon answers only for its own
     * @param photos      the photos' names as typed, in the order their frames follow (with why one is unreadable)
     */
    record Request(String op, String dataDir, List<String> words, String name, double strangerAccept,
                   List<PhotoHeader> photos) {
        Request {
            words = words == null ? List.of() : words;
            photos = photos == null ? List.of() : photos;
        }
    }

    record PhotoHeader(String label, int size, String unreadable) {}

    /** The answer to hello: which store this daemon serves. */
    record Hello(String dataDir) {}

    static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    static byte[] read(DataInputStream in, long max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) throw new IOException("a message of " + length + " bytes is over the limit of " + max);
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    /** The store's path as both sides name it: real when it exists and may be looked at, else normalised. */
    static String canonical(Path dataDir) {
        try {
            return dataDir.toRealPath().toString();
        } catch (IOException | SecurityException e) {
            return dataDir.toAbsolutePath().normalize().toString();
        }
    }
}
