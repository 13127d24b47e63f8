package doorman.cli;

import doorman.TestData;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.camera.FrameSource;
import doorman.config.DoormanConfig;
import doorman.daemon.DoorDaemon;
import doorman.lock.DryRunLock;
import doorman.models.ModelFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CLI's gallery commands while a daemon runs on the store (its loop turning, its gallery locked): they go
 * through the daemon's socket and print exactly what the same commands print on a store of their own.
 */
class DaemonCliTest {

    /** A camera that never delivers: the loop keeps turning, no frame costs CPU. */
    static final class SilentCamera implements FrameSource {
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public Optional<Mat> next() {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "silent camera";
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    record Run(int exit, String out, String err) {}

    @TempDir
    Path dir;

    Path served, direct;
    DoorDaemon daemon;
    ControlServer control;
    Thread loop;

    @BeforeEach
    void startDaemon() throws Exception {
        TestData.model("mobilefacenet-b1.tflite");
        served = dir.resolve("served");
        direct = dir.resolve("direct");
        DoormanConfig config = quietDoor(served);
        daemon = DoorDaemon.open(config, ModelFiles.locate(), new DryRunLock(), new SilentCamera(), Clock.systemUTC(),
                new PrintStream(OutputStream.nullOutputStream()));
        // beside the store, where the CLI looks first (whatever $RUNTIME_DIRECTORY the test runs under)
        control = ControlServer.start(served.resolve(ControlProtocol.SOCKET_NAME), daemon.store());
        loop = new Thread(() -> daemon.run(0), "door-loop");
        loop.start();
    }

    @AfterEach
    void stopDaemon() throws InterruptedException {
        daemon.stop();
        loop.join();
        control.close();
        daemon.close();
    }

    Run doorman(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data=" + data);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Doorman.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        // the two stores differ only in where they are and when each person was created
        String printed = out.toString().replace(data.toString(), "DATA").replaceAll("\"created\":\"[^\"]+\"", "\"created\":\"-\"");
        return new Run(exit, printed, err.toString().replace(data.toString(), "DATA"));
    }

    @Test
    void galleryCommandsGoThroughTheDaemonAndPrintWhatTheyPrintOnTheStore() throws Exception {
        Path johns = TestData.dataset("samples/johns");
        List<Path> salley = TestData.images(johns.resolve("John_Salley"));
        Path savage = TestData.images(johns.resolve("John_Savage")).get(0);
        Path dogs = TestData.dataset("samples/group-photos/dogs.jpg");
        List<String[]> session = List.of(
                new String[]{"people"},
                new String[]{"enroll", "Ann", salley.get(0).toString(), salley.get(1).toString()},
                new String[]{"enroll", "Ann", salley.get(0).toString()}, // a photo already enrolled
                new String[]{"enroll", "Bob", dogs.toString(), savage.toString()}, // all or nothing: refused
                new String[]{"enroll", "Bob", savage.toString(), "--json"},
                new String[]{"people"},
                new String[]{"people", "--json"},
                new String[]{"identify", salley.get(2).toString()},
                new String[]{"identify", salley.get(2).toString(), "--json"},
                new String[]{"identify", dogs.toString()},
                new String[]{"identify", dir.resolve("missing.jpg").toString()},
                new String[]{"verify", salley.get(2).toString(), "--as", "Ann"},
                new String[]{"verify", savage.toString(), "--as", "Ann", "--json"},
                new String[]{"verify", savage.toString(), "--as", "Nobody"},
                new String[]{"people", "rename", "Ann", "Anna"},
                new String[]{"people", "disable", "Anna"},
                new String[]{"identify", salley.get(2).toString()},
                new String[]{"people", "enable", "Anna"},
                new String[]{"people", "schedule", "Anna", "mon-fri 08:00-18:00"},
                new String[]{"people", "schedule", "Anna", "someday"},
                new String[]{"people", "remove", "Bob"},
                new String[]{"people", "remove", "Bob"},
                new String[]{"people"});
        for (String[] command : session) {
            Run viaDaemon = doorman(served, command);
            Run onStore = doorman(direct, command);
            String shown = String.join(" ", command);
            assertEquals(onStore, viaDaemon, shown);
        }
        assertTrue(Files.exists(served.resolve(ControlProtocol.SOCKET_NAME)));
        assertFalse(Files.exists(direct.resolve(ControlProtocol.SOCKET_NAME)), "the direct store had no daemon");

        // audited by the daemon exactly as the CLI audits on the store
        List<String> reasons = adminReasons(daemon.store().audit());
        String user = System.getProperty("user.name");
        assertTrue(reasons.contains("renamed Ann to Anna (command line, user " + user + ")"), reasons.toString());
        assertTrue(reasons.contains("removed Bob and 1 template(s) (command line, user " + user + ")"), reasons.toString());
        // enroll Ann, enroll Bob, rename, disable, enable, schedule, remove (a photo already enrolled changes nothing)
        assertEquals(7, reasons.stream().filter(r -> r.endsWith("(command line, user " + user + ")")).count(), reasons.toString());
    }

    @Test
    void flagsTheDaemonCannotHonourAreRefusedAndAStaleSocketIsPassedOver() throws Exception {
        Path photo = TestData.images(TestData.dataset("samples/johns").resolve("John_Salley")).get(0);
        Run r = doorman(served, "identify", photo.toString(), "--encoder", "192");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("leave out --encoder"), r.err());

        // a socket file left by a daemon that is gone: the CLI works on the store as usual
        Files.createDirectories(direct);
        try (var stale = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            stale.bind(java.net.UnixDomainSocketAddress.of(direct.resolve(ControlProtocol.SOCKET_NAME)));
        }
        Run onStore = doorman(direct, "people");
        assertEquals(0, onStore.exit(), onStore.err());
        assertTrue(onStore.out().startsWith("nobody enrolled yet"), onStore.out());
    }

    private static List<String> adminReasons(AuditLog audit) {
        return audit.query(AuditQuery.latest(1000)).stream()
                .filter(e -> e.action() == doorman.policy.Action.ADMIN).map(e -> e.reason()).toList();
    }

    /** A door for the socket tests: no camera frames, no liveness (photos are not live), a dry-run lock, no page. */
    static DoormanConfig quietDoor(Path dataDir) {
        return DoormanConfig.parse("""
                data-dir: %s
                camera: {type: v4l2}
                liveness: {enabled: false, i-understand: true}
                lock: {type: dry-run}
                http: {enabled: false}
                """.formatted(dataDir), "test config");
    }
}
