package doorman.config;

import java.nio.file.Path;

/**
 * MQTT for Home Assistant and for sharing enrollment between the doors of one household. Off by default: with it
 * on, decisions leave the board (to the broker named here), which the installer has to choose.
 * {@code url} is {@code tcp://host:1883} or {@code ssl://host:8883}; with {@code ssl} the broker's certificate is
 * checked against {@code ca-file} (or the JVM's trust store when unset). The password comes inline or, better,
 * from {@code password-file}. {@code door} names this door in topics and breaks ties between doors' edits.
 */
public record MqttConfig(boolean enabled, String url, String clientId, String username, String password,
                         Path passwordFile, Path caFile, String baseTopic, String door, boolean discovery,
                         String discoveryPrefix, boolean allowRemoteUnlock, boolean publishFaces, boolean household,
                         int queueSize) {

    private static final String TOPIC_WORD = "[A-Za-z0-9_-]{1,64}";

    public MqttConfig {
        Checks.present("mqtt.url", url);
        if (!url.matches("(tcp|ssl)://[^/]+:[0-9]{1,5}"))
            throw new IllegalArgumentException("mqtt.url must look like tcp://host:1883 or ssl://host:8883, got '" + url + "'");
        if (password != null && passwordFile != null)
            throw new IllegalArgumentException("mqtt.password and mqtt.password-file: set one, not both");
        if ((password != null || passwordFile != null) && username == null)
            throw new IllegalArgumentException("mqtt.username must be set together with a password");
        Checks.present("mqtt.base-topic", baseTopic);
        if (!baseTopic.matches(TOPIC_WORD + "(/" + TOPIC_WORD + ")*"))
            throw new IllegalArgumentException("mqtt.base-topic must be words of letters, digits, '-' or '_' joined by '/', got '" + baseTopic + "'");
        Checks.present("mqtt.door", door);
        if (!door.matches(TOPIC_WORD))
            throw new IllegalArgumentException("mqtt.door must be one word of letters, digits, '-' or '_', got '" + door + "'");
        Checks.present("mqtt.discovery-prefix", discoveryPrefix);
        if (!discoveryPrefix.matches(TOPIC_WORD))
            throw new IllegalArgumentException("mqtt.discovery-prefix must be one topic word, got '" + discoveryPrefix + "'");
        if (clientId != null && !clientId.matches("[A-Za-z0-9_-]{1,64}"))
            throw new IllegalArgumentException("mqtt.client-id must be 1-64 letters, digits, '-' or '_', got '" + clientId + "'");
        Checks.between("mqtt.queue-size", queueSize, 8, 100_000);
    }

    public static MqttConfig defaults() {
        return new MqttConfig(false, "tcp://127.0.0.1:1883", null, null, null, null, null, "doorman", "door", true,
                "homeassistant", false, false, false, 256);
    }

    /** The client id the broker sees: the configured one, or one made from the door's name. */
    public String effectiveClientId() {
        return clientId != null ? clientId : "doorman-" + door;
    }

    /** Without the password, so the config can be logged. */
    @Override
    public String toString() {
        return "MqttConfig[enabled=" + enabled + ", url=" + url + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "null" : "***") + ", passwordFile=" + passwordFile + ", caFile=" + caFile
                + ", baseTopic=" + baseTopic + ", door=" + door + ", discovery=" + discovery + ", discoveryPrefix="
                + discoveryPrefix + ", allowRemoteUnlock=" + allowRemoteUnlock + ", publishFaces=" + publishFaces
                + ", household=" + household + ", queueSize=" + queueSize + "]";
    }

    MqttConfig resolvedAgainst(Path base) {
        return new MqttConfig(enabled, url, clientId, username, password, Checks.resolve(base, passwordFile),
                Checks.resolve(base, caFile), baseTopic, door, discovery, discoveryPrefix, allowRemoteUnlock,
                publishFaces, household, queueSize);
    }
}
