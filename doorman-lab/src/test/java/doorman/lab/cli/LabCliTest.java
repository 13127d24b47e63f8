package doorman.lab.cli;

import doorman.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class LabCliTest {

    record Run(int exit, String out, String err) {}

    private static Run doorman(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = DoormanLab.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void evalOnAFolderReportsMetrics(@TempDir Path plot) {
        Run r = doorman("eval", "--folder", TestData.dataset("samples/johns").toString(), "--impostors", "40",
                "--plot", plot.resolve("roc.png").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("AUC"), r.out());
        assertTrue(Files.exists(plot.resolve("roc.png")));
    }

    @Test
    void pixelsLoseToTheEmbeddingOnOrl() throws Exception {
        Run r = doorman("eval", "--folder", TestData.dataset("orl").toString(), "--impostors", "400",
                "--compare", "pixels,128", "--json");
        assertEquals(0, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode reports = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("reports");
        assertEquals(2, reports.size(), r.out());
        String text = reports.toString();
        double pixels = auc(reports.get(0)), embedding = auc(reports.get(1));
        assertTrue(reports.get(0).toString().contains("pixels"), text);
        assertTrue(embedding > pixels, "AUC 128-d " + embedding + " vs pixels " + pixels);
    }

    private static double auc(com.fasterxml.jackson.databind.JsonNode report) {
        com.fasterxml.jackson.databind.JsonNode found = report.findValue("auc");
        assertNotNull(found, report.toString());
        return found.asDouble();
    }

    @Test
    void theLabKeepsTheEverydayCommands() {
        Run r = doorman("help");
        assertEquals(0, r.exit(), r.err());
        for (String command : new String[]{"enroll", "identify", "run", "eval", "train", "calibrate", "quantize", "bench"})
            assertTrue(r.out().contains(command), command + " in\n" + r.out());
    }
}
