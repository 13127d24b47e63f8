package doorman.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Home Assistant MQTT discovery: one device per door with a lock (following the relay), a "last person" sensor,
 * a "last event" sensor whose attributes are the last event's JSON, an image of the last refused face (with
 * {@code mqtt.publish-faces}), and binary sensors for a stranger and a spoof
 * attempt (Home Assistant turns them off after {@value #OFF_DELAY_S} s). Config topics are
 * {@code <prefix>/<component>/doorman_<door>/<object>/config}, retained. Pure: no broker here.
 */
final class Discovery {

    static final int OFF_DELAY_S = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entity's config message. */
    record Entity(String component, String objectId, String topic, ObjectNode config) {
    }

    private final String prefix;
    private final Topics topics;
    private final String nodeId;

    private final boolean faces;

    Discovery(String prefix, Topics topics, boolean faces) {
        this.prefix = prefix;
        this.topics = topics;
        this.faces = faces;
        this.nodeId = "doorman_" + topics.door().replace('-', '_');
    }

    List<Entity> entities() {
        List<Entity> all = new ArrayList<>();
        ObjectNode lock = base("lock", "Lock");
        lock.put("command_topic", topics.lockCommand());
        lock.put("state_topic", topics.lock());
        lock.put("payload_lock", "LOCK");
        lock.put("payload_unlock", "UNLOCK");
        lock.put("state_locked", "LOCKED");
        lock.put("state_unlocked", "UNLOCKED");
        lock.put("optimistic", false);
        lock.put("retain", false);
        all.add(entity("lock", "lock", lock));

        ObjectNode person = base("last_person", "Last person");
        person.put("state_topic", topics.lastPerson());
        person.put("icon", "mdi:account-check");
        all.add(entity("sensor", "last_person", person));

        ObjectNode event = base("last_event", "Last event");
        event.put("state_topic", topics.event());
        event.put("value_template", "{{ value_json.type }}");
        event.put("json_attributes_topic", topics.event());
        event.put("icon", "mdi:door");
        all.add(entity("sensor", "last_event", event));

        all.add(entity("binary_sensor", "stranger", flag("stranger", "Stranger at the door", topics.stranger(), "occupancy")));
        all.add(entity("binary_sensor", "spoof", flag("spoof", "Spoof attempt", topics.spoof(), "problem")));
        if (faces) {
            ObjectNode image = base("refused_face", "Last refused face");
            image.put("image_topic", topics.face());
            image.put("content_type", "image/jpeg");
            all.add(entity("image", "refused_face", image));
        }
        return all;
    }

    private ObjectNode flag(String objectId, String name, String stateTopic, String deviceClass) {
        ObjectNode o = base(objectId, name);
        o.put("state_topic", stateTopic);
        o.put("payload_on", "ON");
        o.put("payload_off", "OFF");
        o.put("device_class", deviceClass);
        o.put("off_delay", OFF_DELAY_S);
        return o;
    }

    private ObjectNode base(String objectId, String name) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("unique_id", nodeId + "_" + objectId);
        o.put("availability_topic", topics.availability());
        o.put("payload_available", "online");
        o.put("payload_not_available", "offline");
        ObjectNode device = o.putObject("device");
        device.putArray("identifiers").add(nodeId);
        device.put("name", "Doorman " + topics.door());
        device.put("manufacturer", "Doorman");
        device.put("model", "face-recognition door lock");
        return o;
    }

    private Entity entity(String component, String objectId, ObjectNode config) {
        return new Entity(component, objectId, prefix + "/" + component + "/" + nodeId + "/" + objectId + "/config", config);
    }
}
