package doorman.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Settings that switch a defence off are refused without i-understand; weakening ones are named at start. */
class RiskySettingsTest {

    private static String refusal(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> DoormanConfig.parse(yaml, "doorman.yaml"));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void livenessOffOrEveryFaceLiveIsRefusedUnlessUnderstood() {
        assertTrue(refusal("liveness: {enabled: false}\n").contains("i-understand"));
        assertTrue(refusal("liveness: {threshold: 0}\n").contains("calls every face live"));
        DoormanConfig off = DoormanConfig.parse("liveness: {enabled: false, i-understand: true}\nlock: {type: dry-run}\n", "doorman.yaml");
        assertEquals(List.of("liveness.enabled is false: no spoof check, a photo of anyone enrolled opens the door",
                "lock.type is dry-run: decisions are logged but the door is never opened"), RiskySettings.of(off));
        DoormanConfig all = DoormanConfig.parse("liveness: {threshold: 0, i-understand: true}\n", "doorman.yaml");
        assertTrue(RiskySettings.of(all).get(0).startsWith("liveness.threshold 0.0 calls every face live"));
    }

    @Test
    void weakeningSettingsAreNamedOneLineEach() {
        DoormanConfig lenient = DoormanConfig.parse("""
                liveness: {threshold: 0.05}
                lock: {type: gpio}
                http: {host: 0.0.0.0}
                """, "doorman.yaml");
        List<String> risks = RiskySettings.of(lenient);
        assertEquals(2, risks.size(), risks.toString());
        assertTrue(risks.get(0).startsWith("liveness.threshold 0.05"));
        assertTrue(risks.get(1).startsWith("http.host 0.0.0.0 serves beyond this machine without TLS"));
        DoormanConfig careful = DoormanConfig.parse("lock: {type: gpio}\n", "doorman.yaml");
        assertEquals(List.of(), RiskySettings.of(careful));
    }
}
