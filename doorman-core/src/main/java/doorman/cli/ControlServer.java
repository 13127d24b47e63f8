package doorman.cli;

import doorman.audit.AdminAudit;
import doorman.daemon.DoorDaemon;
import doorman.pipeline.FacePipeline;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The running daemon's side of the CLI's gallery commands: a Unix socket on which {@code doorman people}, enroll,
 * identify and verify --as are answered by {@link LocalGallery} on the daemon's own store, so the daemon stays its
 * one writer. One request at a time on one thread, each bounded (read timeout, message sizes); the caller is
 * checked by its peer credentials ({@link PeerAccess}) and every change is audited with its user name, exactly as
 * the CLI audits on the store.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    private final Path socket;
    private final ServerSocketChannel server;
    private final DoorDaemon.Store store;
    private final String dataDir;
    private final PeerAccess access;
    private final AdminAudit audit;
    private final Thread thread;
    private final ScheduledExecutorService timeouts;
    private FacePipeline pipeline; // the control thread's own, opened on the first request that looks at a face
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, DoorDaemon.Store store, PeerAccess access) {
        this.socket = socket;
        this.server = server;
        this.store = store;
        // the store's folder as the gallery has it (serve without --config has its data dir from --data)
        this.dataDir = ControlProtocol.canonical(store.gallery().path().getParent());
        this.access = access;
        this.audit = new AdminAudit(store.audit(), Clock.systemUTC());
        this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "doorman-control-timeout"));
        this.thread = daemonThread(this::serve, "doorman-control");
    }

    /**
     * Where the daemon listens: $DOORMAN_SOCKET, else systemd's runtime folder ($RUNTIME_DIRECTORY, from the unit's
     * RuntimeDirectory=doorman), else beside the store.
     */
    public static Path socketPath(Path dataDir) {
        String env = System.getenv("DOORMAN_SOCKET");
        if (env != null && !env.isBlank()) return Path.of(env);
        String runtime = System.getenv("RUNTIME_DIRECTORY");
        if (runtime != null && !runtime.isBlank()) return Path.of(runtime.split(":")[0], ControlProtocol.SOCKET_NAME);
        return dataDir.resolve(ControlProtocol.SOCKET_NAME);
    }

    /** Listens at {@code socket} (a file left there by a daemon that died is replaced); mode 0660. */
    public static ControlServer start(Path socket, DoorDaemon.Store store) throws IOException {
        Files.deleteIfExists(socket); // the gallery's lock, held by now, says no other daemon serves this store
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            String group = Files.readAttributes(socket, PosixFileAttributes.class).group().getName();
            PeerAccess access = PeerAccess.of(System.getProperty("user.name"), group, Path.of("/etc/group"));
            ControlServer control = new ControlServer(socket, server, store, access);
            control.thread.start();
            log.info("command line socket {} (user {}, root and group {})", socket, access.daemonUser(), group);
            return control;
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel channel = server.accept()) {
                handle(channel);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (!closed) log.warn("command line socket: {}", e.toString());
            }
        }
        if (pipeline != null) pipeline.close();
    }

    private void handle(SocketChannel channel) throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = peer.user().getName();
        // a caller that stops sending mid-request is cut off, so the next one is not kept waiting
        ScheduledFuture<?> cutOff = timeouts.schedule(() -> closeQuietly(channel), ControlProtocol.READ_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        ControlProtocol.Request request;
        List<Photo> photos = new ArrayList<>();
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        try {
            request = ControlProtocol.JSON.readValue(ControlProtocol.read(in, ControlProtocol.MAX_JSON_BYTES),
                    ControlProtocol.Request.class);
            var refusal = access.refusal(user, peer.group().getName());
            if (refusal.isPresent()) {
                log.warn("command line socket: refused {} ({})", user, request.op());
                reply(out, Answer.failed(Doorman.STORE, refusal.get(), List.of()));
                return;
            }
            long total = 0;
            for (ControlProtocol.PhotoHeader header : request.photos()) {
                if (header.size() > ControlProtocol.MAX_PHOTO_BYTES || (total += header.size()) > ControlProtocol.MAX_REQUEST_BYTES)
                    throw new IOException("photos over the size limit");
                byte[] bytes = ControlProtocol.read(in, ControlProtocol.MAX_PHOTO_BYTES);
                photos.add(new Photo(header.label(), bytes, header.unreadable()));
            }
        } finally {
            cutOff.cancel(false);
        }
        if (request.op().equals("hello")) {
            ControlProtocol.write(out, ControlProtocol.JSON.writeValueAsBytes(new ControlProtocol.Hello(dataDir)));
            out.flush();
            return;
        }
        reply(out, answer(request, photos, user));
    }

    /** The request answered on the store; a refusal or a failure is an answer too, and the daemon goes on. */
    private Answer answer(ControlProtocol.Request request, List<Photo> photos, String user) {
        if (!dataDir.equals(request.dataDir()))
            return Answer.failed(Doorman.STORE, "this daemon serves " + dataDir + ", not " + request.dataDir(), List.of());
        LocalGallery gallery = new LocalGallery(store.gallery(), this::pipeline, false, store.config(), store.models(),
                (id, name, what) -> audit.record(id, name, LocalGallery.byCommandLine(what, user)));
        try {
            return switch (request.op()) {
                case "people" -> request.words().isEmpty() ? gallery.people(request.strangerAccept()) : gallery.change(request.words());
                case "change" -> gallery.change(request.words());
                case "enroll" -> gallery.enroll(request.name(), photos);
                case "identify" -> gallery.identify(only(photos), request.strangerAccept());
                case "verify" -> gallery.verifyAs(only(photos), request.name(), request.strangerAccept());
                default -> Answer.failed(Doorman.USAGE, "the daemon does not know '" + request.op() + "'", List.of());
            };
        } catch (RuntimeException e) {
            int code = Failures.exitCode(e);
            if (code == Doorman.FAILURE) log.warn("command line request {} failed: {}", request.op(), e.toString());
            return Answer.failed(code, Failures.message(e), List.of());
        }
    }

    private static Photo only(List<Photo> photos) {
        if (photos.size() != 1) throw new Failures.UserError(Doorman.USAGE, "one photo expected, got " + photos.size());
        return photos.get(0);
    }

    private FacePipeline pipeline() {
        if (pipeline == null) pipeline = store.pipelines().get();
        return pipeline;
    }

    private static void reply(DataOutputStream out, Answer answer) throws IOException {
        ControlProtocol.write(out, ControlProtocol.JSON.writeValueAsBytes(answer));
        out.flush();
    }

    public Path socket() {
        return socket;
    }

    /** Stops listening (a request in progress is given a moment to finish) and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timeouts.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("removing {}: {}", socket, e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is all there is to do
        }
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
