package doorman.mqtt;

import doorman.config.MqttConfig;
import doorman.metrics.Counter;
import doorman.metrics.Metrics;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one connection to the broker, owned by one thread. Callers only {@link #offer} messages into a bounded
 * queue and never wait: when the broker is slow or gone the queue fills and further messages are dropped and
 * counted ({@code doorman_mqtt_dropped_total}), so the frame loop and the lock never depend on the broker.
 * The thread connects, reconnects with backoff from 0.5 s to 30 s, subscribes again after every connect, runs
 * the connect hooks (which republish the retained state), sends the queue and runs the periodic ticks.
 * The broker publishes "offline" on the availability topic (the last will) when this door vanishes.
 */
final class MqttLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttLink.class);
    static final long FIRST_BACKOFF_MS = 500, LAST_BACKOFF_MS = 30_000, TICK_MS = 50;

    /** One message to send; QoS 1 throughout. */
    record Outgoing(String topic, byte[] payload, boolean retained) {
        static Outgoing text(String topic, String payload, boolean retained) {
            return new Outgoing(topic, payload.getBytes(StandardCharsets.UTF_8), retained);
        }
    }

    /** Receives the messages of one subscription, on the client's thread; must not block for long. */
    interface Handler {
        void handle(String topic, byte[] payload, boolean retained);
    }

    private final MqttClient client;
    private final MqttConnectOptions options;
    private final String availabilityTopic;
    private final LinkedBlockingDeque<Outgoing> outbox;
    private final Map<String, Handler> subscriptions = new LinkedHashMap<>();
    private final List<Supplier<List<Outgoing>>> onConnect = new ArrayList<>();
    private final List<Runnable> ticks = new ArrayList<>();
    private final Counter published, dropped, connects;
    private final Thread thread;
    private volatile boolean running;
    private volatile boolean connected;

    MqttLink(MqttConfig config, MqttConnectOptions options, String availabilityTopic, Metrics metrics) {
        try {
            this.client = new MqttClient(config.url(), config.effectiveClientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException("mqtt: cannot make a client for " + config.url() + ": " + e.getMessage(), e);
        }
        client.setTimeToWait(5_000);
        this.options = options;
        this.availabilityTopic = availabilityTopic;
        this.outbox = new LinkedBlockingDeque<>(config.queueSize());
        this.published = metrics.counter("doorman_mqtt_published_total", "MQTT messages handed to the broker.");
        this.dropped = metrics.counter("doorman_mqtt_dropped_total", "MQTT messages dropped because the queue to the broker was full.");
        this.connects = metrics.counter("doorman_mqtt_connects_total", "Connections made to the MQTT broker.");
        this.thread = new Thread(this::run, "doorman-mqtt");
        thread.setDaemon(true);
    }

    /** Registers a subscription; call before {@link #start()}. */
    void subscribe(String filter, Handler handler) {
        subscriptions.put(filter, handler);
    }

    /**
     * After every (re)connect, on the link thread, the hook's messages are sent at once, ahead of the queue and never
     * dropped: the retained state (availability, discovery) that a new session must see. Call before {@link #start()}.
     */
    void onConnect(Supplier<List<Outgoing>> hook) {
        onConnect.add(hook);
    }

    /** Runs about every {@value #TICK_MS} ms on the link thread, connected or not; call before {@link #start()}. */
    void everyTick(Runnable tick) {
        ticks.add(tick);
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Queues a message without waiting; false (and counted) when the queue is full. */
    boolean offer(Outgoing message) {
        if (outbox.offerLast(message)) return true;
        dropped.inc();
        return false;
    }

    /** Queues a message if there is room, without counting a drop: the caller keeps it and tries again. */
    boolean offerIfRoom(Outgoing message) {
        return outbox.offerLast(message);
    }

    boolean connected() {
        return connected;
    }

    long droppedCount() {
        return dropped.value();
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        boolean reportedDown = false;
        while (running) {
            if (!client.isConnected()) {
                connected = false;
                try {
                    connect();
                    backoff = FIRST_BACKOFF_MS;
                    reportedDown = false;
                } catch (MqttException | RuntimeException e) {
                    if (!reportedDown) log.warn("mqtt: broker {} unreachable ({}); retrying with backoff up to {} s",
                            client.getServerURI(), describe(e), LAST_BACKOFF_MS / 1000);
                    reportedDown = true;
                    idle(backoff);
                    backoff = Math.min(backoff * 2, LAST_BACKOFF_MS);
                    continue;
                }
            }
            sendOne(TICK_MS);
            runTicks();
        }
    }

    private void connect() throws MqttException {
        client.connect(options);
        try {
            subscribeAndSendState();
        } catch (MqttException | RuntimeException e) {
            // half set up: drop the connection so the next attempt starts over with the subscriptions
            try {
                client.disconnectForcibly(0, 1_000);
            } catch (MqttException ignored) {
                // the connection is going anyway
            }
            throw e;
        }
    }

    private void subscribeAndSendState() throws MqttException {
        for (Map.Entry<String, Handler> s : subscriptions.entrySet()) {
            Handler handler = s.getValue();
            IMqttMessageListener listener = (topic, message) -> {
                try {
                    handler.handle(topic, message.getPayload(), message.isRetained());
                } catch (RuntimeException e) { // an exception here would drop the connection
                    log.error("mqtt: handling a message on {} failed: {}", topic, e.toString());
                }
            };
            client.subscribe(s.getKey(), 1, listener);
        }
        connected = true;
        connects.inc();
        log.info("mqtt: connected to {}", client.getServerURI());
        for (Supplier<List<Outgoing>> hook : onConnect) {
            List<Outgoing> messages;
            try {
                messages = hook.get();
            } catch (RuntimeException e) {
                log.error("mqtt: {}", e.toString(), e);
                continue;
            }
            for (Outgoing m : messages) {
                client.publish(m.topic(), m.payload(), 1, m.retained());
                published.inc();
            }
        }
    }

    private void sendOne(long waitMs) {
        Outgoing next;
        try {
            next = outbox.pollFirst(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return;
        }
        if (next == null) return;
        try {
            client.publish(next.topic(), next.payload(), 1, next.retained());
            published.inc();
        } catch (MqttException | RuntimeException e) {
            // keep it for after the reconnect unless the queue filled up meanwhile
            if (!outbox.offerFirst(next)) dropped.inc();
            log.debug("mqtt: publish to {} failed: {}", next.topic(), describe(e));
        }
    }

    private void idle(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (running && System.nanoTime() < until) {
            runTicks();
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void runTicks() {
        for (Runnable tick : ticks) runSafely(tick);
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("mqtt: {}", e.toString(), e);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        return (m == null ? e.getClass().getSimpleName() : m) + (cause != null ? " (" + cause.getMessage() + ")" : "");
    }

    /** Sends what is queued (up to 2 s), says "offline" itself, and disconnects. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                long until = System.nanoTime() + 2_000_000_000L;
                while (!outbox.isEmpty() && System.nanoTime() < until) sendOne(0);
                client.publish(availabilityTopic, "offline".getBytes(StandardCharsets.UTF_8), 1, true);
                client.disconnect(1_000);
            }
        } catch (MqttException e) {
            log.warn("mqtt: closing the connection: {}", describe(e));
        } finally {
            connected = false;
            try {
                client.close();
            } catch (MqttException e) {
                log.debug("mqtt: close: {}", e.toString());
            }
        }
    }
}
