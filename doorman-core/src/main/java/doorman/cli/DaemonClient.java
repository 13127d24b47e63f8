package doorman.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gallery commands sent to the running daemon ({@link ControlServer}) over its Unix socket; the daemon computes
 * the same {@link Answer} the CLI would on the store.
 */
final class DaemonClient implements GalleryService {

    /** Where a daemon serving {@code dataDir} may listen: $DOORMAN_SOCKET, beside the store, systemd's runtime folder. */
    static List<Path> candidates(Path dataDir) {
        Set<Path> paths = new LinkedHashSet<>();
        String env = System.getenv("DOORMAN_SOCKET");
        if (env != null && !env.isBlank()) paths.add(Path.of(env));
        paths.add(dataDir.resolve(ControlProtocol.SOCKET_NAME));
        paths.add(Path.of("/run/doorman", ControlProtocol.SOCKET_NAME));
        return List.copyOf(paths);
    }

    private final Path socket;
    private final String dataDir;

    private DaemonClient(Path socket, String dataDir) {
        this.socket = socket;
        this.dataDir = dataDir;
    }

    /**
     * The daemon serving {@code dataDir}, if one runs. A socket left by a daemon that is gone, or one serving
     * another store, is passed over; one the user may not use is a refusal (the store is the daemon's meanwhile).
     */
    static Optional<DaemonClient> find(Path dataDir) {
        String wanted = ControlProtocol.canonical(dataDir);
        for (Path socket : candidates(dataDir)) {
            if (!Files.exists(socket)) continue;
            DaemonClient client = new DaemonClient(socket, wanted);
            Optional<ControlProtocol.Hello> hello;
            try {
                JsonNode answer = ControlProtocol.JSON.readTree(client.exchange(
                        new ControlProtocol.Request("hello", wanted, null, null, 0, null), List.of()));
                // a refusal (not the daemon's user, root or group) is an answer like any other
                if (answer.hasNonNull("error")) throw new Failures.UserError(answer.path("exit").asInt(Doorman.STORE), answer.get("error").asText());
                hello = Optional.of(new ControlProtocol.Hello(answer.path("dataDir").asText()));
            } catch (ConnectException gone) {
                hello = Optional.empty();
            } catch (IOException e) {
                throw refused(socket, e);
            }
            if (hello.isPresent() && wanted.equals(hello.get().dataDir())) return Optional.of(client);
        }
        return Optional.empty();
    }

    private static Failures.UserError refused(Path socket, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketException && why.contains("Permission denied"))
            why = "permission denied (only the daemon's user, root and members of its group may use it)";
        return new Failures.UserError(Doorman.STORE, "the running door daemon at " + socket + " cannot be used: " + why);
    }

    @Override
    public Answer people(double strangerAccept) {
        return ask(new ControlProtocol.Request("people", dataDir, null, null, strangerAccept, null), List.of());
    }

    @Override
    public Answer change(List<String> words) {
        return ask(new ControlProtocol.Request("change", dataDir, words, null, 0, null), List.of());
    }

    @Override
    public Answer enroll(String name, List<Photo> photos) {
        return ask(new ControlProtocol.Request("enroll", dataDir, null, name, 0, headers(photos)), photos);
    }

    @Override
    public Answer identify(Photo photo, double strangerAccept) {
        return ask(new ControlProtocol.Request("identify", dataDir, null, null, strangerAccept, headers(List.of(photo))), List.of(photo));
    }

    @Override
    public Answer verifyAs(Photo photo, String name, double strangerAccept) {
        return ask(new ControlProtocol.Request("verify", dataDir, null, name, strangerAccept, headers(List.of(photo))), List.of(photo));
    }

    private static List<ControlProtocol.PhotoHeader> headers(List<Photo> photos) {
        long total = 0;
        List<ControlProtocol.PhotoHeader> headers = new ArrayList<>();
        for (Photo p : photos) {
            total += p.bytes().length;
            headers.add(new ControlProtocol.PhotoHeader(p.label(), p.bytes().length, p.unreadable()));
        }
        if (total > ControlProtocol.MAX_REQUEST_BYTES)
            throw Failures.badInput("the photos add up to " + total / (1024 * 1024) + " MB, more than the daemon takes at once ("
                    + ControlProtocol.MAX_REQUEST_BYTES / (1024 * 1024) + " MB): enroll them in several calls");
        return headers;
    }

    private Answer ask(ControlProtocol.Request request, List<Photo> photos) {
        try {
            return ControlProtocol.JSON.readValue(exchange(request, photos), Answer.class);
        } catch (IOException e) {
            throw new Failures.UserError(Doorman.STORE, "the running door daemon at " + socket + " did not answer: "
                    + Failures.message(e));
        }
    }

    /** One request on its own connection; the answer's JSON. Bounded by {@link ControlProtocol#ANSWER_TIMEOUT}. */
    private byte[] exchange(ControlProtocol.Request request, List<Photo> photos) throws IOException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "doorman-client-timeout");
            t.setDaemon(true);
            return t;
        });
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            timer.schedule(() -> {
                try {
                    channel.close(); // a daemon that never answers must not hang the command
                } catch (IOException ignored) {
                    // closing is all there is to do
                }
            }, ControlProtocol.ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            ControlProtocol.write(out, ControlProtocol.JSON.writeValueAsBytes(request));
            for (Photo photo : photos) ControlProtocol.write(out, photo.bytes());
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            return ControlProtocol.read(in, ControlProtocol.MAX_JSON_BYTES);
        } finally {
            timer.shutdownNow();
        }
    }

    @Override
    public void close() {
        // one connection per request: nothing stays open
    }
}
