package doorman.mqtt;

import doorman.audit.AuditLog;
import doorman.audit.ManualUnlock;
import doorman.config.MqttConfig;
import doorman.gallery.Gallery;
import doorman.household.HouseholdKey;
import doorman.household.HouseholdSync;
import doorman.lock.LockActuator;
import doorman.metrics.Metrics;
import doorman.metrics.Summary;
import doorman.policy.Action;
import doorman.vision.Face;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The door on MQTT: availability (with the last will), one event per audited decision, the relay's state, Home
 * Assistant discovery and its lock commands. The daemon's only hooks are the audit listener (which queues, never
 * waits) and this object's lifetime; the lock's state is read on the MQTT thread, so a broker outage cannot
 * touch the frame loop or the relay.
 */
public final class MqttBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);

    private final MqttLink link;
    private final Topics topics;
    private final LockActuator lock;
    private Boolean lastLockState; // link thread only

    private final RefusedFaces faces;

    private MqttBridge(MqttLink link, Topics topics, LockActuator lock, RefusedFaces faces) {
        this.link = link;
        this.topics = topics;
        this.lock = lock;
        this.faces = faces;
    }

    /** Starts the bridge in the background (it connects by itself), or returns null when {@code mqtt.enabled} is off. */
    public static MqttBridge start(MqttConfig config, Path dataDir, Gallery gallery, AuditLog audit, ManualUnlock unlock,
                                   LockActuator lock, Metrics metrics) {
        if (!config.enabled()) return null;
        Objects.requireNonNull(audit, "audit");
        Topics topics = Topics.of(config);
        MqttLink link = new MqttLink(config, BrokerOptions.from(config, topics.availability()), topics.availability(), metrics);
        MqttBridge bridge = new MqttBridge(link, topics, lock, config.publishFaces() ? new RefusedFaces(topics, link) : null);
        DoorEvents events = new DoorEvents(topics);
        Discovery discovery = new Discovery(config.discoveryPrefix(), topics, config.publishFaces());
        link.onConnect(() -> {
            List<MqttLink.Outgoing> state = new ArrayList<>();
            state.add(MqttLink.Outgoing.text(topics.availability(), "online", true));
            if (config.discovery())
                for (Discovery.Entity e : discovery.entities())
                    state.add(MqttLink.Outgoing.text(e.topic(), e.config().toString(), true));
            bridge.lastLockState = null; // the next tick republishes the relay's state
            return state;
        });
        link.everyTick(bridge::publishLockStateIfChanged);
        if (lock != null) link.subscribe(topics.lockCommand(), new RemoteUnlock(unlock, lock, config.allowRemoteUnlock()));
        if (config.household()) {
            HouseholdKey key = HouseholdKey.load(dataDir).orElseThrow(() -> new IllegalStateException("mqtt.household is on but "
                    + dataDir.resolve(HouseholdKey.FILE) + " is missing: run 'doorman household init' on the first door"
                    + " and 'doorman household join' on the others"));
            HouseholdLink household = new HouseholdLink(new HouseholdSync(gallery, key, config.door()), gallery, topics, link, metrics);
            link.subscribe(topics.householdFilter(), household::onRecord);
            link.onConnect(household::allRecords);
            link.everyTick(household::publishLocalChanges);
        }
        Summary handoff = metrics.summary("doorman_mqtt_handoff_seconds",
                "Time the deciding thread spends handing one audited decision to MQTT, in seconds.");
        audit.addListener(event -> {
            long start = System.nanoTime();
            events.messagesFor(event).forEach(link::offer);
            handoff.observe((System.nanoTime() - start) / 1e9);
        });
        link.start();
        return bridge;
    }

    private void publishLockStateIfChanged() {
        if (lock == null) return;
        boolean now = lock.energised();
        if (lastLockState != null && lastLockState == now) return;
        if (link.offer(MqttLink.Outgoing.text(topics.lock(), DoorEvents.lockState(now), true))) lastLockState = now;
    }

    /**
     * Called by the frame loop after each frame: with {@code mqtt.publish-faces}, a refused visit's aligned face is
     * queued as a 112x112 JPEG (only for refusals, which the policy rate-limits); otherwise nothing.
     */
    public void refusedFace(Action action, Mat frame, Face face) {
        if (faces == null) return;
        try {
            faces.offer(action, frame, face);
        } catch (RuntimeException e) { // a face not published is no failure of the door
            log.warn("mqtt: could not publish a refused face: {}", e.toString());
        }
    }

    /** Whether the broker connection is up right now. */
    public boolean connected() {
        return link.connected();
    }

    /** Messages dropped so far because the broker could not keep up or was away. */
    public long dropped() {
        return link.droppedCount();
    }

    @Override
    public void close() {
        link.close();
    }
}
