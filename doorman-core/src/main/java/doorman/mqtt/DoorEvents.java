package doorman.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import doorman.audit.AuditEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns each audited decision into what the door publishes: the JSON event, and the small state topics Home
 * Assistant's entities follow (last person, stranger, spoof). Pure: no broker here.
 */
final class DoorEvents {

    static final String UNLOCKED = "unlocked", REFUSED_STRANGER = "refused_stranger", REFUSED_SPOOF = "refused_spoof",
            REFUSED = "refused", UNCERTAIN = "uncertain";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topics topics;

    DoorEvents(Topics topics) {
        this.topics = topics;
    }

    /**
     * The kind of visit an audit event describes. Refusals for a spoof are told apart by their action or their
     * reason, so the mapping keeps working when the policy gains its own spoof or uncertain actions.
     */
    static String type(AuditEvent e) {
        String action = e.action().name();
        String reason = e.reason().toLowerCase(Locale.ROOT);
        if (action.contains("SPOOF") || (!action.equals("UNLOCK") && (reason.contains("spoof") || reason.contains("not live"))))
            return REFUSED_SPOOF;
        if (action.contains("UNCERTAIN")) return UNCERTAIN;
        return switch (action) {
            case "UNLOCK" -> UNLOCKED;
            case "STRANGER_EVENT" -> REFUSED_STRANGER;
            case "DENIED" -> REFUSED;
            default -> action.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The JSON payload of {@code <base>/<door>/event}. Unmeasured numbers are null; {@code person} is set only for a
     * recognised person, and {@code distance} is to the nearest enrolled template.
     */
    String eventJson(AuditEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", e.id());
        o.put("time", e.time().toString());
        o.put("door", topics.door());
        o.put("type", type(e));
        o.put("action", e.action().name().toLowerCase(Locale.ROOT));
        o.put("source", e.action().name().equals("UNLOCK") && e.personId() == null ? "manual" : "face");
        // a stranger's audit entry names the nearest enrolled person; that is no identification, so not sent here
        o.put("person", e.personId() == null ? null : e.personName());
        o.put("person_id", e.personId());
        number(o, "distance", e.distance());
        number(o, "probability", e.probability());
        number(o, "liveness", e.livenessScore());
        o.put("quality", e.quality());
        o.put("reason", e.reason());
        return o.toString();
    }

    /** Everything one decision publishes, in order. */
    List<MqttLink.Outgoing> messagesFor(AuditEvent e) {
        List<MqttLink.Outgoing> out = new ArrayList<>(2);
        out.add(MqttLink.Outgoing.text(topics.event(), eventJson(e), false));
        switch (type(e)) {
            case UNLOCKED -> {
                if (e.personName() != null) out.add(MqttLink.Outgoing.text(topics.lastPerson(), e.personName(), true));
            }
            case REFUSED_STRANGER -> out.add(MqttLink.Outgoing.text(topics.stranger(), "ON", false));
            case REFUSED_SPOOF -> out.add(MqttLink.Outgoing.text(topics.spoof(), "ON", false));
            default -> {
            }
        }
        return out;
    }

    static String lockState(boolean energised) {
        return energised ? "UNLOCKED" : "LOCKED";
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }
}
