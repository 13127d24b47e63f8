package doorman.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The mqtt: section: off by default, checked keys with one clear line each, the password never printed. */
class MqttConfigTest {

    private static MqttConfig parse(String mqtt) {
        return DoormanConfig.parse("mqtt: " + mqtt + "\n", "doorman.yaml").mqtt();
    }

    private static String error(String mqtt) {
        return assertThrows(ConfigException.class, () -> parse(mqtt)).getMessage();
    }

    @Test
    void offByDefaultWithRemoteUnlockFacesAndHouseholdOff() {
        MqttConfig d = DoormanConfig.defaults().mqtt();
        assertFalse(d.enabled());
        assertFalse(d.allowRemoteUnlock());
        assertFalse(d.publishFaces());
        assertFalse(d.household());
        assertEquals("doorman-door", d.effectiveClientId());
    }

    @Test
    void readsEveryKeyAndResolvesFilesAgainstTheConfigFolder() {
        MqttConfig c = DoormanConfig.parse("""
                mqtt: {enabled: true, url: "ssl://broker.lan:8883", username: front, password-file: secret,
                       ca-file: ca.pem, door: front, allow-remote-unlock: true, household: true, queue-size: 64}
                """, "doorman.yaml").mqtt();
        assertTrue(c.enabled() && c.allowRemoteUnlock() && c.household());
        assertEquals("doorman-front", c.effectiveClientId());
        assertEquals(Path.of("/etc/doorman/ca.pem"), c.resolvedAgainst(Path.of("/etc/doorman")).caFile());
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(error("{url: 'mqtt://x'}").contains("mqtt.url must look like tcp://host:1883"), error("{url: 'mqtt://x'}"));
        assertTrue(error("{door: 'front door'}").contains("mqtt.door must be one word"));
        assertTrue(error("{base-topic: 'a/+/b'}").contains("mqtt.base-topic"));
        assertTrue(error("{username: u, password: p, password-file: f}").contains("set one, not both"));
        assertTrue(error("{password: p}").contains("mqtt.username must be set"));
        assertTrue(error("{queue-size: 2}").contains("mqtt.queue-size must be between 8 and 100000"));
        assertTrue(error("{alow-remote-unlock: true}").contains("did you mean 'mqtt.allow-remote-unlock'"),
                error("{alow-remote-unlock: true}"));
    }

    @Test
    void thePasswordIsNeverPrinted() {
        MqttConfig c = parse("{username: u, password: hunter2}");
        assertEquals("hunter2", c.password());
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertFalse(DoormanConfig.parse("mqtt: {username: u, password: hunter2}", "x").toString().contains("hunter2"));
    }
}
