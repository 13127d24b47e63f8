package doorman.mqtt;

import doorman.config.MqttConfig;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The connection settings from {@code mqtt:}: login (password inline or from a file), TLS trusting the given CA
 * with host-name checking, the last will ("offline", retained) and a clean session, since every connect
 * subscribes again and retained records arrive again anyway. Problems are one line naming the key.
 */
final class BrokerOptions {

    private BrokerOptions() {
    }

    static MqttConnectOptions from(MqttConfig config, String availabilityTopic) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false); // MqttLink reconnects itself, also when the first connect fails
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(64);
        o.setWill(availabilityTopic, "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        if (config.username() != null) {
            o.setUserName(config.username());
            String password = config.password() != null ? config.password() : passwordFrom(config.passwordFile());
            if (password != null) o.setPassword(password.toCharArray());
        }
        if (config.url().startsWith("ssl://")) {
            o.setHttpsHostnameVerificationEnabled(true);
            if (config.caFile() != null) o.setSocketFactory(trusting(config.caFile()).getSocketFactory());
        } else if (config.caFile() != null) {
            throw new IllegalArgumentException("mqtt.ca-file is set but mqtt.url is not ssl://: the CA would not be used");
        }
        return o;
    }

    private static String passwordFrom(Path file) {
        if (file == null) return null;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) throw new IllegalArgumentException("mqtt.password-file " + file + " is empty");
            return text.lines().findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalArgumentException("mqtt.password-file " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** An SSL context that trusts exactly the certificates in a PEM (or DER) file. */
    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw new IllegalArgumentException("mqtt.ca-file " + caFile + " holds no certificate");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) trust.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new IllegalArgumentException("mqtt.ca-file " + caFile + ": cannot read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("mqtt.ca-file " + caFile + ": not a usable certificate: " + e.getMessage(), e);
        }
    }
}
