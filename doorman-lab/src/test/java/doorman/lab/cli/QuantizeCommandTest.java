package doorman.lab.cli;

import doorman.cli.Doorman;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code doorman quantize} on a few real people: files written, one row per variant, bad options refused. */
class QuantizeCommandTest {

    @TempDir
    Path out;

    record Run(int exit, String out, String err) {}

    private static Run doorman(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int exit = DoormanLab.execute(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(exit, o.toString(), e.toString());
    }

    @Test
    void writesTheVariantAndMeasuresItAgainstFloat32() throws IOException {
        Path johns = TestData.dataset("samples/johns");
        Path model = TestData.model("mobilefacenet-b1.tflite");
        Run run = doorman("quantize", "--model", model.toString(), "--folder", johns.toString(), "--out", out.toString(),
                "--variants", "fp16", "--split", "all", "--limit-people", "3", "--impostors", "40", "--runs", "5", "--warmup", "1", "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertEquals(33, result.get("images").asInt(), run.out()); // 3 people with 11 photos each
        JsonNode rows = result.get("variants");
        assertEquals(2, rows.size());
        assertEquals("fp32", rows.get(0).get("variant").asText());
        JsonNode half = rows.get(1);
        assertEquals("fp16", half.get("variant").asText());
        Path written = out.resolve("mobilefacenet-b1-fp16.tflite");
        assertEquals(written.toString(), half.get("file").asText());
        assertEquals(Files.size(written), half.get("bytes").asLong());
        assertTrue(half.get("bytes").asLong() < Files.size(model) * 0.52, run.out());
        assertTrue(half.get("minCosine").asDouble() > 0.999, run.out());
        assertTrue(Math.abs(half.get("lossPoints").asDouble()) < 1, run.out());
        assertTrue(half.get("medianMs").asDouble() > 0, run.out());
        assertTrue(result.get("latencyImage").asText().startsWith(johns.toString()), "shown through the real folder: " + run.out());
        try (var left = Files.list(out)) {
            assertEquals(1, left.count(), "only the variant is left in --out");
        }
    }

    @Test
    void badOptionsAreOneLineErrors() {
        Path johns = TestData.dataset("samples/johns");
        Run missing = doorman("quantize", "--folder", out.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals(Doorman.BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("not a folder"), missing.err());
        Run variant = doorman("quantize", "--folder", johns.toString(), "--out", out.toString(), "--variants", "int4");
        assertEquals(Doorman.BAD_INPUT, variant.exit());
        assertTrue(variant.err().contains("unknown variant 'int4'"), variant.err());
        Run notAModel = doorman("quantize", "--folder", johns.toString(), "--out", out.toString(),
                "--model", TestData.images(johns.resolve("John_Salley")).get(0).toString());
        assertEquals(Doorman.BAD_INPUT, notAModel.exit());
        assertTrue(notAModel.err().contains("not a TFLite model"), notAModel.err());
        Run detector = doorman("quantize", "--folder", johns.toString(), "--out", out.resolve("detector").toString(),
                "--model", TestData.model("face_detection_short_range.tflite").toString());
        assertEquals(Doorman.BAD_INPUT, detector.exit());
        assertTrue(detector.err().contains("encoder input must be [1,112,112,3]"), detector.err());
        Run split = doorman("quantize", "--folder", johns.toString(), "--out", out.toString(), "--split", "half");
        assertEquals(Doorman.BAD_INPUT, split.exit());
        assertTrue(split.err().contains("unknown split 'half'"), split.err());
    }
}
