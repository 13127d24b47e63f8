package doorman.lab.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    @Test
    void withoutAConsoleWritesALineEveryTenth() {
        ProgressBar bar = new ProgressBar("embedding", 200, out, false, () -> now);
        for (int i = 0; i < 200; i++) {
            now += 50_000_000L; // 20 items a second
            bar.step();
        }
        bar.close();
        bar.close();
        String[] lines = text().split("\\R");
        assertEquals(11, lines.length, text());
        assertEquals("embedding: 10% 20/200 20.0/s ETA 9s", lines[0]);
        assertEquals("embedding: 100% 200/200 20.0/s done", lines[9]);
        assertEquals("embedding: 200 of 200 in 10s", lines[10]);
        assertTrue(!text().contains("\r"), "no carriage returns in a log");
    }

    @Test
    void onAConsoleRedrawsAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar("eval", 1000, out, true, () -> now);
        for (int i = 0; i < 1000; i++) {
            now += 1_000_000L; // 1000 items in one second
            bar.step();
        }
        bar.close();
        long redraws = text().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 10 && redraws <= 12, redraws + " redraws");
        assertTrue(text().contains("\reval [##############################] 100% 1000/1000 1000.0/s done"), text());
        assertTrue(text().endsWith("eval: 1000 of 1000 in 1s" + System.lineSeparator()), text());
    }

    @Test
    void blanksTheTailOfALongerPreviousLine() {
        ProgressBar bar = new ProgressBar("x", 10, out, true, () -> now);
        now = 200_000_000_000L;
        bar.update(1); // one item in 200 s: half an hour to go
        now += 200_000_000L;
        bar.update(9); // now a few seconds to go: a shorter line
        String[] draws = text().split("\r");
        assertTrue(draws[1].contains("ETA 30m00s"), draws[1]);
        assertEquals(draws[1].length(), draws[2].length(), "the shorter line is padded: " + text());
    }

    @Test
    void formatsDurations() {
        assertEquals("59s", ProgressBar.duration(59.4));
        assertEquals("2m05s", ProgressBar.duration(125));
        assertEquals("1h01m", ProgressBar.duration(3690));
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
