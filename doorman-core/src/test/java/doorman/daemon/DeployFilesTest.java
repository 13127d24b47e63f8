package doorman.daemon;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** deploy/install.sh run for real into a staging root, and systemd/doorman.service checked by systemd-analyze. */
class DeployFilesTest {

    static final Path UNIT = Path.of("systemd/doorman.service");

    record Run(int exit, String output) {
    }

    static Run run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Run(p.exitValue(), out);
    }

    /** A release folder laid out as the tarball is, with a stand-in jar. */
    static Path fakeRelease(Path dir, String version) throws IOException {
        Path release = dir.resolve("doorman-" + version);
        Files.createDirectories(release.resolve("lib"));
        Files.createDirectories(release.resolve("models"));
        Files.writeString(release.resolve("lib/doorman-" + version + ".jar"), "jar " + version);
        copy(Path.of("deploy/bin/doorman"), release.resolve("bin/doorman"));
        copy(Path.of("deploy/bin/doorman-release-lock"), release.resolve("bin/doorman-release-lock"));
        copy(Path.of("deploy/doorman.example.yaml"), release.resolve("deploy/doorman.example.yaml"));
        copy(Path.of("deploy/install.sh"), release.resolve("deploy/install.sh"));
        copy(UNIT, release.resolve("systemd/doorman.service"));
        return release;
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Test
    void installsIntoAFreshRootAndKeepsTheConfigOnUpgrade(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        Map<String, String> staged = Map.of("DOORMAN_INSTALL_ROOT", root.toString(), "DOORMAN_INSTALL_SKIP_SYSTEM", "1");

        Path v1 = fakeRelease(dir, "0.1.0");
        Run first = run(v1, staged, "bash", "deploy/install.sh");
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("created " + root.resolve("etc/doorman/doorman.yaml")), first.output());
        assertEquals("jar 0.1.0", Files.readString(root.resolve("opt/doorman/lib/doorman-0.1.0.jar")));
        assertTrue(Files.isExecutable(root.resolve("opt/doorman/bin/doorman")));
        assertEquals(Files.readString(UNIT), Files.readString(root.resolve("etc/systemd/system/doorman.service")));
        Path config = root.resolve("etc/doorman/doorman.yaml");
        assertEquals(Files.readString(Path.of("deploy/doorman.example.yaml")), Files.readString(config));
        assertTrue(Files.isDirectory(root.resolve("var/lib/doorman")));

        Files.writeString(config, "lock:\n  type: dry-run\n");
        Path v2 = fakeRelease(dir, "0.2.0");
        Path tarball = dir.resolve("doorman-0.2.0.tar.gz");
        Run pack = run(dir, Map.of(), "tar", "-czf", tarball.toString(), "doorman-0.2.0");
        assertEquals(0, pack.exit(), pack.output());
        Run second = run(dir, staged, "bash", v1.resolve("deploy/install.sh").toString(), tarball.toString());
        assertEquals(0, second.exit(), second.output());
        assertTrue(second.output().contains("kept " + config), second.output());
        assertEquals("lock:\n  type: dry-run\n", Files.readString(config), "the installer's config is never overwritten");
        assertTrue(Files.exists(root.resolve("opt/doorman/lib/doorman-0.2.0.jar")));
        assertFalse(Files.exists(root.resolve("opt/doorman/lib/doorman-0.1.0.jar")), "the old version is replaced whole");
        assertFalse(Files.exists(root.resolve("opt/doorman.old")));
        assertTrue(Files.exists(root.resolve("etc/doorman/doorman.example.yaml")));
        try (Stream<Path> files = Files.walk(root)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("token")), "the installer makes no secrets");
        }
    }

    @Test
    void refusesWhatIsNotARelease(@TempDir Path dir) throws Exception {
        Path notRelease = Files.createDirectories(dir.resolve("x/deploy"));
        copy(Path.of("deploy/install.sh"), notRelease.resolve("install.sh"));
        Run run = run(dir, Map.of("DOORMAN_INSTALL_ROOT", dir.resolve("root").toString(), "DOORMAN_INSTALL_SKIP_SYSTEM", "1"),
                "bash", notRelease.resolve("install.sh").toString());
        assertEquals(1, run.exit());
        assertTrue(run.output().contains("is not a Doorman release (no bin/doorman)"), run.output());
        Run missing = run(dir, Map.of("DOORMAN_INSTALL_SKIP_SYSTEM", "1"), "bash", notRelease.resolve("install.sh").toString(), "nope.tar.gz");
        assertEquals(1, missing.exit());
        assertTrue(missing.output().contains("no such release tarball: nope.tar.gz"), missing.output());
    }

    @Test
    void unitHasTheSafetySettings() throws IOException {
        List<String> lines = Files.readAllLines(UNIT);
        for (String required : List.of("Type=notify", "NotifyAccess=main", "WatchdogSec=30", "Restart=on-failure", "User=doorman",
                "SupplementaryGroups=gpio video", "ProtectSystem=strict", "ReadWritePaths=/var/lib/doorman", "NoNewPrivileges=yes",
                "PrivateTmp=yes", "ProtectHome=yes", "ExecStopPost=/opt/doorman/bin/doorman-release-lock /etc/doorman/doorman.yaml"))
            assertTrue(lines.contains(required), "missing " + required);
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute")), "the JIT needs W+X memory");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit(@TempDir Path root) throws Exception {
        Path systemUnits = Path.of("/usr/lib/systemd/system");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")) && Files.isDirectory(systemUnits),
                "systemd-analyze is not installed here");
        // an offline root: the system's units (for sysinit.target and friends), our unit, and its executables
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (Stream<Path> list = Files.list(systemUnits)) {
            for (Path p : list.toList()) if (Files.isRegularFile(p)) Files.copy(p, units.resolve(p.getFileName()));
        }
        copy(UNIT, root.resolve("etc/systemd/system/doorman.service"));
        copy(Path.of("deploy/bin/doorman"), root.resolve("opt/doorman/bin/doorman"));
        copy(Path.of("deploy/bin/doorman-release-lock"), root.resolve("opt/doorman/bin/doorman-release-lock"));
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root,
                root.resolve("etc/systemd/system/doorman.service").toString()));
        Run verify = run(root, Map.of(), command.toArray(String[]::new));
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.output().trim(), "systemd-analyze had remarks");
    }
}
