package doorman.lock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** SIGTERM during a pulse, for real: a child JVM is terminated mid-pulse and must leave the line released. */
class GpioLockSigtermTest {

    @Test
    void sigtermMidPulseLeavesTheRelayReleased(@TempDir Path dir) throws Exception {
        Path pins = dir.resolve("pins.txt");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // active-low: released is HIGH, so a line left at its power-on LOW would show up as energised
        Process child = new ProcessBuilder(javaBin, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PulseUntilTerminated.class.getName(), "ACTIVE_LOW", pins.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!lines(pins).contains("PULSING")) {
                assertTrue(child.isAlive(), "child died early: " + lines(pins));
                assertTrue(System.nanoTime() < deadline, "child never started its pulse: " + lines(pins));
                Thread.sleep(10);
            }
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not exit on SIGTERM");
            assertEquals(143, child.exitValue(), "exit by SIGTERM (128 + 15)");
            List<String> written = lines(pins);
            assertEquals(List.of("PIN HIGH", "PIN LOW", "PULSING", "PIN HIGH"), written,
                    "released at start, energised by the pulse, released by the shutdown hook long before the pulse's end");
        } finally {
            child.destroyForcibly();
        }
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
