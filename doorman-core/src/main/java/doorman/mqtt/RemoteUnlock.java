package doorman.mqtt;

import doorman.audit.ManualUnlock;
import doorman.lock.LockActuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Commands from Home Assistant's lock entity. UNLOCK opens the door through the same audited path as the HTTP
 * unlock, only with {@code mqtt.allow-remote-unlock}; without it the request is refused and the refusal audited.
 * LOCK ends a pulse at once (locking is always allowed). Retained commands are ignored: a stale UNLOCK left on
 * the broker must not open the door at every reconnect.
 */
final class RemoteUnlock implements MqttLink.Handler {

    private static final Logger log = LoggerFactory.getLogger(RemoteUnlock.class);

    private final ManualUnlock unlock;
    private final LockActuator lock;
    private final boolean allowed;

    RemoteUnlock(ManualUnlock unlock, LockActuator lock, boolean allowed) {
        this.unlock = unlock;
        this.lock = lock;
        this.allowed = allowed;
    }

    @Override
    public void handle(String topic, byte[] payload, boolean retained) {
        String command = new String(payload, StandardCharsets.UTF_8).strip();
        if (retained) {
            log.warn("mqtt: ignored a retained '{}' on {} (commands must not be retained)", abbreviate(command), topic);
            return;
        }
        switch (command) {
            case "UNLOCK" -> {
                if (!allowed) {
                    unlock.refuse("remote unlock over MQTT refused: mqtt.allow-remote-unlock is off");
                    log.warn("mqtt: refused a remote unlock on {} (mqtt.allow-remote-unlock is off)", topic);
                    return;
                }
                try {
                    unlock.unlock("mqtt", "remote unlock over MQTT (" + topic + ")");
                } catch (ManualUnlock.LockFailed | ManualUnlock.NotAudited e) {
                    log.error("mqtt: remote unlock failed: {}", e.getMessage());
                } catch (ManualUnlock.TooSoon | ManualUnlock.AlreadyOpen e) {
                    log.warn("mqtt: remote unlock not taken: {}", e.getMessage());
                }
            }
            case "LOCK" -> lock.release();
            case "" -> { } // someone cleared a retained command: nothing to do
            default -> log.warn("mqtt: unknown command '{}' on {} (expected UNLOCK or LOCK)", abbreviate(command), topic);
        }
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() <= 40 ? flat : flat.substring(0, 40) + "...";
    }
}
