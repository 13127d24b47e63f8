package doorman.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

class DoormanConfigTest {

    static final Path EXAMPLE = Path.of("deploy/doorman.example.yaml");

    @Test
    void exampleFileLoadsAndStatesTheDefaults() {
        DoormanConfig example = DoormanConfig.load(EXAMPLE);
        assertEquals(DoormanConfig.defaults(), example, "the example must show the true defaults");
        assertEquals(1500, example.lock().pulseMs());
        assertEquals("127.0.0.1", example.http().host());
    }

    @Test
    void exampleFileListsEveryKey() throws Exception {
        ObjectMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .addModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance)).build();
        TreeSet<String> defaults = new TreeSet<>(), example = new TreeSet<>();
        leaves(json.valueToTree(DoormanConfig.defaults()), "", defaults);
        leaves(new YAMLMapper().readTree(EXAMPLE.toFile()), "", example);
        assertEquals(defaults, example);
        assertTrue(defaults.contains("lock.pulse-ms") && defaults.contains("policy.stranger-event-interval-ms"), defaults.toString());
    }

    private static void leaves(JsonNode node, String prefix, TreeSet<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isObject()) leaves(e.getValue(), prefix + e.getKey() + ".", out);
            else out.add(prefix + e.getKey());
        }
    }

    @Test
    void emptyFileMeansDefaults() {
        assertEquals(DoormanConfig.defaults(), DoormanConfig.parse("", "doorman.yaml"));
        assertEquals(DoormanConfig.defaults(), DoormanConfig.parse("# only a comment\n", "doorman.yaml"));
    }

    @Test
    void givenKeysOverrideAndTheRestKeepDefaults() {
        DoormanConfig c = DoormanConfig.parse("lock:\n  type: dry-run\n  polarity: active-low\npolicy:\n  frames: 5\n", "doorman.yaml");
        assertEquals(LockConfig.Type.DRY_RUN, c.lock().type());
        assertEquals(LockConfig.Polarity.ACTIVE_LOW, c.lock().polarity());
        assertEquals(1500, c.lock().pulseMs());
        assertEquals(17, c.lock().line());
        assertEquals(5, c.policy().frames());
        assertEquals(2000, c.policy().windowMs());
        assertEquals(CameraConfig.defaults(), c.camera());
    }

    @Test
    void misspelledKeyIsNamedWithASuggestion() {
        assertError("lock:\n  pulse_ms: 1000\n", "doorman.yaml: unknown key 'lock.pulse_ms' (did you mean 'lock.pulse-ms'?)");
        assertError("camra:\n  type: v4l2\n", "doorman.yaml: unknown key 'camra' (did you mean 'camera'?)");
        String far = message("lock:\n  colour: red\n");
        assertTrue(far.startsWith("doorman.yaml: unknown key 'lock.colour' (known keys here: chip, line, polarity, pulse-ms, type)"), far);
    }

    @Test
    void outOfRangeValueIsNamed() {
        assertError("lock:\n  pulse-ms: 0\n", "doorman.yaml: lock.pulse-ms must be between 100 and 10000, got 0");
        assertError("http:\n  port: 70000\n", "doorman.yaml: http.port must be between 1 and 65535, got 70000");
        assertError("match:\n  encoder: 256\n", "doorman.yaml: match.encoder must be 128 or 192, got 256");
        assertError("quality:\n  min-brightness: 200\n  max-brightness: 100\n",
                "doorman.yaml: quality.min-brightness (200.0) must be below quality.max-brightness (100.0)");
        assertError("policy:\n  time-zone: Mars/Olympus\n",
                "doorman.yaml: policy.time-zone must be \"system\" or a zone such as Europe/Berlin, got 'Mars/Olympus'");
        assertError("lock:\n  chip: /dev/gpiochip0\n", "doorman.yaml: lock.chip must name a GPIO chip such as gpiochip0, got '/dev/gpiochip0'");
    }

    @Test
    void wrongTypesAreNamed() {
        assertError("lock:\n  pulse-ms: abc\n", "doorman.yaml: lock.pulse-ms must be a whole number, got 'abc'");
        assertTrue(message("lock:\n  pulse-ms: 1.5\n").startsWith("doorman.yaml: lock.pulse-ms must be a whole number"));
        assertError("lock:\n  type: relay\n", "doorman.yaml: lock.type must be one of gpio, dry-run, got 'relay'");
        assertError("detection:\n  range: medium\n", "doorman.yaml: detection.range must be one of short, full, got 'medium'");
        assertTrue(message("liveness:\n  enabled: maybe\n").startsWith("doorman.yaml: liveness.enabled must be true or false"));
        assertTrue(message("lock:\n  line: ~\n").startsWith("doorman.yaml: lock.line must be a whole number"));
        assertError("lock: 5\n", "doorman.yaml: 'lock' must be a mapping of keys, got '5'");
        assertError("- a\n- b\n", "doorman.yaml: the top level must be a mapping of keys such as 'lock:' and 'camera:'");
    }

    @Test
    void brokenYamlAndDuplicateKeysAreRefused() {
        assertTrue(message("lock:\n  type: [gpio\n").startsWith("doorman.yaml: not valid YAML at line"));
        String dup = message("lock:\n  line: 17\n  line: 27\n");
        assertTrue(dup.startsWith("doorman.yaml: not valid YAML") && dup.contains("line"), dup);
    }

    @Test
    void sectionsCheckTheKeysTheirChoiceNeeds() {
        assertError("camera:\n  type: command\n",
                "doorman.yaml: camera.command must list the program and its arguments when camera.type is command");
        assertError("camera:\n  type: replay\n", "doorman.yaml: camera.path (needed by camera.type: replay) must be set");
        assertError("http:\n  tls-keystore: /etc/doorman/keystore.p12\n",
                "doorman.yaml: http.tls-keystore and http.tls-password-file must be set together");
        DoormanConfig c = DoormanConfig.parse("camera:\n  type: command\n  command: [rpicam-vid, -o, \"-\"]\n", "doorman.yaml");
        assertEquals(java.util.List.of("rpicam-vid", "-o", "-"), c.camera().command());
    }

    @Test
    void relativePathsAreTakenFromTheFilesFolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("doorman.yaml");
        Files.writeString(file, "data-dir: data\ncamera:\n  type: replay\n  path: clips/door.mp4\nmatch:\n  calibration: /abs/cal.json\n");
        DoormanConfig c = DoormanConfig.load(file);
        assertEquals(dir.resolve("data"), c.dataDir());
        assertEquals(dir.resolve("clips/door.mp4"), c.camera().path());
        assertEquals(Path.of("/abs/cal.json"), c.match().calibration());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> DoormanConfig.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().endsWith("nope.yaml: no such file (copy deploy/doorman.example.yaml there to start)"), e.getMessage());
    }

    @Test
    void threadsZeroMeansOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), DoormanConfig.defaults().effectiveThreads());
        assertEquals(2, DoormanConfig.parse("threads: 2\n", "doorman.yaml").effectiveThreads());
        assertError("threads: -1\n", "doorman.yaml: threads must be between 0 and 64, got -1");
    }

    private static String message(String yaml) {
        return assertThrows(ConfigException.class, () -> DoormanConfig.parse(yaml, "doorman.yaml")).getMessage();
    }

    private static void assertError(String yaml, String expected) {
        assertEquals(expected, message(yaml));
    }
}
