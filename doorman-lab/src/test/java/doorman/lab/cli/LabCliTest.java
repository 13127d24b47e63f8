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
    void theLabKeepsTheEverydayCommands() {
        Run r = doorman("help");
        assertEquals(0, r.exit(), r.err());
        for (String command : new String[]{"enroll", "identify", "run", "eval", "train", "calibrate", "quantize", "bench"})
            assertTrue(r.out().contains(command), command + " in\n" + r.out());
    }
}
