package doorman.mqtt;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A test's own MQTT client: records what it receives and publishes commands, like Home Assistant would. */
final class Subscriber implements AutoCloseable {

    record Received(String topic, String text, byte[] payload, boolean retained, long nanos) {
    }

    private final MqttClient client;
    final List<Received> received = new CopyOnWriteArrayList<>();

    Subscriber(MosquittoBroker broker, String... filters) throws MqttException {
        client = new MqttClient(broker.url(), "test-subscriber-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(MosquittoBroker.USER);
        o.setPassword(MosquittoBroker.PASSWORD.toCharArray());
        o.setSocketFactory(BrokerOptions.trusting(broker.caFile()).getSocketFactory());
        o.setAutomaticReconnect(true);
        o.setCleanSession(true);
        client.connect(o);
        for (String f : filters)
            client.subscribe(f, 1, (topic, m) -> received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8),
                    m.getPayload(), m.isRetained(), System.nanoTime())));
    }

    void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    /** Waits (polling, bounded) for a message that satisfies {@code test}. */
    Optional<Received> await(Predicate<Received> test, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            for (Received r : received) if (test.test(r)) return Optional.of(r);
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    Received awaitOn(String topic, Predicate<String> text, Duration within) throws InterruptedException {
        return await(r -> r.topic().equals(topic) && text.test(r.text()), within)
                .orElseThrow(() -> new AssertionError("nothing matching on " + topic + " within " + within + "; got " + topics()));
    }

    List<String> topics() {
        return received.stream().map(r -> r.topic() + "=" + abbreviate(r.text())).toList();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) client.disconnect(1000);
        client.close();
    }
}
