package doorman.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The parts of Home Assistant's MQTT discovery schemas (homeassistant/components/mqtt: lock.py, sensor.py,
 * binary_sensor.py, image.py, and the entity and availability schemas they extend) that a payload must meet:
 * the required keys of each component, and only keys the schema knows (discovery silently drops others, so a
 * misspelt key would be lost without a word).
 */
final class DiscoverySchema {

    private static final Set<String> COMMON = Set.of("name", "unique_id", "icon", "device", "availability_topic",
            "payload_available", "payload_not_available", "json_attributes_topic", "json_attributes_template", "qos",
            "enabled_by_default", "entity_category", "encoding");
    private static final Map<String, Set<String>> OWN = Map.of(
            "lock", Set.of("command_topic", "state_topic", "payload_lock", "payload_unlock", "payload_open",
                    "state_locked", "state_unlocked", "state_locking", "state_unlocking", "state_jammed", "optimistic",
                    "retain", "value_template", "command_template", "code_format"),
            "sensor", Set.of("state_topic", "value_template", "device_class", "unit_of_measurement", "state_class",
                    "expire_after", "force_update", "suggested_display_precision"),
            "binary_sensor", Set.of("state_topic", "value_template", "payload_on", "payload_off", "device_class",
                    "off_delay", "expire_after", "force_update"),
            "image", Set.of("image_topic", "url_topic", "content_type", "image_encoding", "url_template"));
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "lock", Set.of("command_topic"),
            "sensor", Set.of("state_topic"),
            "binary_sensor", Set.of("state_topic"),
            "image", Set.of());

    private DiscoverySchema() {
    }

    static void check(String component, JsonNode config) {
        assertTrue(OWN.containsKey(component), "unknown component " + component);
        for (String key : REQUIRED.get(component)) assertTrue(config.hasNonNull(key), component + " needs " + key + ": " + config);
        if (component.equals("image"))
            assertTrue(config.has("image_topic") ^ config.has("url_topic"), "image needs image_topic or url_topic: " + config);
        Set<String> unknown = new HashSet<>();
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!COMMON.contains(key) && !OWN.get(component).contains(key)) unknown.add(key);
        }
        assertEquals(Set.of(), unknown, component + " carries keys Home Assistant would drop: " + config);
        assertTrue(config.get("unique_id").asText().matches("[a-z0-9_]+"), "unique_id");
        JsonNode device = config.get("device");
        assertNotNull(device, "device");
        assertTrue(device.get("identifiers").isArray() && device.get("identifiers").size() > 0, "device.identifiers");
        if (component.equals("binary_sensor")) {
            assertNotEquals(config.path("payload_on").asText("ON"), config.path("payload_off").asText("OFF"));
        }
    }
}
