package doorman.cli;

import doorman.TestData;
import doorman.config.DoormanConfig;
import doorman.daemon.DoorDaemon;
import doorman.lock.DryRunLock;
import doorman.models.ModelFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A user without rights gets one clear refusal from the CLI while the daemon runs, both where the socket file's
 * mode stops it and where only the daemon's peer-credential check does. The CLI runs in a child JVM as nobody
 * (setpriv), so this needs root; it is skipped otherwise.
 */
class DaemonCliRefusalTest {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path dir;

    @Test
    void aUserOutsideTheDaemonsUserRootAndGroupIsRefusedInOneLine() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "not root: cannot run the CLI as another user, skipping the refusal test (PeerAccessTest covers the decision)");
        Assumptions.assumeTrue(Files.isExecutable(SETPRIV), "no " + SETPRIV + ", skipping the refusal test");
        Path photo = TestData.images(TestData.dataset("samples/johns").resolve("John_Salley")).get(0);
        TestData.model("mobilefacenet-b1.tflite");
        Path served = dir.resolve("served");
        DoormanConfig config = DaemonCliTest.quietDoor(served);
        // a folder anyone may enter, as systemd's /run/doorman is for the doorman group; the classes nobody may read
        Path open = Files.createTempDirectory("doorman-refusal");
        try (DoorDaemon daemon = DoorDaemon.open(config, ModelFiles.locate(), new DryRunLock(), new DaemonCliTest.SilentCamera(),
                Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()))) {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            String classpath = readableClasspath(open.resolve("lib"));
            Path socket = open.resolve("doorman.sock");
            try (ControlServer control = ControlServer.start(socket, daemon.store())) {
                // the socket as the daemon leaves it (0660): the kernel refuses the connection
                String[] byMode = asNobody(classpath, socket, "people", "--data", served.toString());
                assertEquals("4", byMode[0], byMode[1]);
                assertOneLine(byMode[1], "permission denied");

                // opened up by mistake (0666): the daemon's own check on the caller still refuses
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
                for (String[] command : List.of(new String[]{"people", "--data", served.toString()},
                        new String[]{"enroll", "Mallory", photo.toString(), "--data", served.toString()})) {
                    String[] byCredentials = asNobody(classpath, socket, command);
                    assertEquals("4", byCredentials[0], byCredentials[1]);
                    assertOneLine(byCredentials[1], "may not use the running door daemon");
                }
            }
            assertEquals(0, daemon.store().gallery().counts().people(), "nothing was enrolled");
        } finally {
            try (Stream<Path> files = Files.walk(open)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void assertOneLine(String err, String contains) {
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("doorman: ") && err.contains(contains), err);
    }

    /** Runs the CLI as uid/gid 65534 with no groups; its exit code and stderr. */
    private static String[] asNobody(String classpath, Path socket, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, "doorman.cli.Doorman"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DOORMAN_SOCKET", socket.toString());
        builder.environment().put("HOME", "/tmp");
        Process child = builder.start();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish");
        return new String[]{Integer.toString(child.exitValue()), err};
    }

    /**
     * The test's class path in a form nobody can read: the checkout's class folders as they are (world-readable),
     * the jars the CLI's client side needs copied out of the (private) Maven repository.
     */
    private static String readableClasspath(Path lib) throws IOException {
        Files.createDirectories(lib);
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName().toString();
            if (Files.isDirectory(path)) {
                entries.add(entry);
            } else if (name.startsWith("picocli") || name.startsWith("jackson") || name.startsWith("slf4j")
                    || name.startsWith("logback")) {
                Path copy = Files.copy(path, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            }
        }
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        return String.join(File.pathSeparator, entries);
    }
}
