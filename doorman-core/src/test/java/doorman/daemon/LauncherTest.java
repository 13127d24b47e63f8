package doorman.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The release's bin/doorman gives the daemon its memory settings and the class archive, with a stand-in java. */
class LauncherTest {

    /** A release folder whose "java" prints the options it was started with and MALLOC_ARENA_MAX. */
    private static Path release(Path dir) throws Exception {
        Path home = dir.resolve("doorman");
        DeployFilesTest.copy(Path.of("deploy/bin/doorman"), home.resolve("bin/doorman"));
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static String launch(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = release(dir).resolve("bin/doorman").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        DeployFilesTest.Run run = DeployFilesTest.run(dir, Map.of("JAVA_HOME", dir.resolve("jdk").toString()), command);
        assertEquals(0, run.exit(), run.output());
        return run.output();
    }

    @Test
    void theDaemonGetsTheMeasuredMemorySettings(@TempDir Path dir) throws Exception {
        String daemon = launch(dir, "daemon", "--config", "x.yaml");
        for (String option : new String[]{"MALLOC_ARENA_MAX=2", "-XX:+UseSerialGC", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Xss512k"})
            assertTrue(daemon.contains(option), option + " in " + daemon);
        assertTrue(daemon.strip().endsWith("doorman.cli.Doorman daemon --config x.yaml"), daemon);
        String verify = launch(dir, "verify", "a.jpg", "b.jpg");
        assertFalse(verify.contains("-Xmx96m"), "a one-shot command keeps the JVM's own heap limit: " + verify);
        assertFalse(daemon.contains("SharedArchiveFile"), "no archive, no option: " + daemon);
    }

    @Test
    void aWarmUpArchiveIsMappedWhenPresent(@TempDir Path dir) throws Exception {
        Path home = release(dir);
        Files.createDirectories(home.resolve("cds"));
        Files.writeString(home.resolve("cds/doorman.jsa"), "archive");
        String out = launch(dir, "serve");
        assertTrue(out.contains("-XX:SharedArchiveFile=" + home.resolve("cds/doorman.jsa")), out);
    }
}
