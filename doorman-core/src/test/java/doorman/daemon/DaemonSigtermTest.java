package doorman.daemon;

import doorman.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code doorman run} in a child JVM, sent SIGTERM in each state a camera can be in. The daemon measures its own
 * stop from the shutdown hook's start to everything closed ("stopped in N ms"); it must be under a second, and
 * the process must then exit. No sleeps: each case waits for the log line that shows the state it is about.
 */
class DaemonSigtermTest {

    private static final Pattern STOPPED = Pattern.compile("stopped in (\\d+) ms \\(relay released after (\\d+) ms\\)");

    @TempDir
    Path dir;

    @Test
    void aRunningReplay() throws Exception {
        Path photos = TestData.dataset("samples/bbt/amy");
        sigtermWhen("camera: {type: replay, path: '" + photos.toAbsolutePath() + "', loop: true}",
                "ready: camera replay");
    }

    @Test
    void aV4l2DeviceThatDoesNotExistDuringItsReconnectBackoff() throws Exception {
        sigtermWhen("camera: {type: v4l2, device: " + dir.resolve("video9") + "}", "retrying in 1000 ms");
    }

    @Test
    void aCommandThatHangsWithoutOutputAndIgnoresSigtermBeforeTheFirstFrame() throws Exception {
        sigtermWhen("camera: {type: command, command: [sh, -c, \"trap '' TERM; echo waiting >&2; sleep 600\"]}",
                "[sh] waiting");
    }

    @Test
    void aCommandThatDiesRepeatedlyDuringItsReconnectBackoff() throws Exception {
        sigtermWhen("camera: {type: command, command: [sh, -c, \"echo no camera >&2; exit 3\"]}",
                "reopening in 1000 ms");
    }

    private void sigtermWhen(String cameraYaml, String stateLine) throws Exception {
        Path config = dir.resolve("door.yaml");
        Files.writeString(config, String.join("\n", "data-dir: " + dir.resolve("data"), cameraYaml,
                "lock: {type: dry-run}", "http: {port: " + freePort() + "}", ""));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Ddoorman.models.dir=" + System.getProperty("doorman.models.dir", "models/fetched"),
                "-cp", System.getProperty("java.class.path"), "doorman.cli.Doorman", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            // the state first: the log line that shows it (the reader ends if the child dies early)
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains(stateLine)) break;
            }
            assertNotNull(line, "the daemon never reached '" + stateLine + "':\n" + String.join("\n", lines));
            child.toHandle().destroy(); // SIGTERM (Process.destroy would also close the pipe we read)
            while ((line = out.readLine()) != null) lines.add(line);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the daemon did not exit on SIGTERM");
            assertEquals(143, child.exitValue(), "ended by SIGTERM (128 + 15):\n" + String.join("\n", lines));
        } finally {
            child.destroyForcibly();
        }
        Matcher stopped = lines.stream().map(STOPPED::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no 'stopped in' line:\n" + String.join("\n", lines)));
        long took = Long.parseLong(stopped.group(1));
        System.out.println(stateLine + " -> " + stopped.group()); // the figure, in the surefire report
        assertTrue(took < 1000, "the stop took " + took + " ms:\n" + String.join("\n", lines));
        assertTrue(Long.parseLong(stopped.group(2)) <= took, stopped.group());
        assertTrue(lines.stream().noneMatch(l -> l.contains("camera down")), "a stop is not a camera outage");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
