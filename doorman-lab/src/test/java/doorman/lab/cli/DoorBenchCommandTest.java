package doorman.lab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.TestData;
import doorman.lab.bench.DoorFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** {@code bench door} on real LFW photos, real models and the real daemon: one enrolled visitor and one stranger. */
class DoorBenchCommandTest {

    record Run(int exit, String out, String err) {}

    private static Run doorman(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = DoormanLab.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theEnrolledVisitorGetsInAtTheCameraRateAndTheStrangerDoesNot() throws Exception {
        Path lfw = TestData.dataset("lfw-train");
        Run r = doorman("bench", "door", "--lfw", lfw.toString(), "--sizes", "640x480", "--threads", "1", "--visits", "1", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode run = new ObjectMapper().readTree(r.out()).get("runs").get(0);
        assertEquals(640, run.get("width").asInt());
        JsonNode unlock = run.get("timeToUnlock");
        assertEquals(1, unlock.get("visits").asInt(), r.out());
        assertEquals(1, unlock.get("unlocked").asInt(), "the enrolled visitor was let in: " + r.out());
        assertEquals(0, unlock.get("strangerPulses").asInt(), r.out());
        // three frames of the default policy at 10 fps: the third arrives 200 ms after the first
        assertTrue(unlock.get("medianMs").asDouble() >= 200, r.out());
        String stages = run.get("stages").toString();
        for (String stage : new String[]{"decode", "detect", "align + embed", "liveness", "whole frame, a face"})
            assertTrue(stages.contains("\"" + stage + "\""), stage + " in " + stages);
        assertTrue(run.get("framesPerSecond").asDouble() > 0, r.out());
    }

    @Test
    void theRecordingIsTheSameEveryTime(@TempDir Path dir) {
        Path lfw = TestData.dataset("lfw-train");
        DoorFrames.Recording a = DoorFrames.make(lfw, 640, 480, 1, 3, 2), b = DoorFrames.make(lfw, 640, 480, 1, 3, 2);
        assertEquals(2 + 2 * (3 + 2), a.shots().size());
        for (int i = 0; i < a.shots().size(); i++) assertArrayEquals(a.shots().get(i).jpeg(), b.shots().get(i).jpeg(), "frame " + i);
        assertEquals(java.util.List.of(2), a.enrolledVisitStarts());
        assertTrue(a.visitors().get(0).enrolled() && !a.visitors().get(1).enrolled());
        assertFalse(Arrays.equals(a.shots().get(2).jpeg(), a.shots().get(0).jpeg()), "a visitor's frame differs from the empty doorway");
    }

    @Test
    void aBadSizeIsOneLine() {
        Run r = doorman("bench", "door", "--lfw", ".", "--sizes", "640by480");
        assertEquals(3, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("doorman: --sizes wants WIDTHxHEIGHT"), r.err());
    }

    @Test
    void benchAloneSaysWhichBenchesThereAre() {
        Run r = doorman("bench");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("bench door") && r.err().contains("bench stages"), r.err());
    }
}
