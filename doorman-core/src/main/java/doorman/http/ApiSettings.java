package doorman.http;

import doorman.config.HttpConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the API listens. TLS is on when {@code keystore} (PKCS12) is given. Failed sign-ins are limited to
 * {@code maxAuthFailures} per client address within {@code failureWindow}.
 */
public record ApiSettings(String host, int port, Path keystore, String keystorePassword, long maxBodyBytes,
                          int maxAuthFailures, Duration failureWindow) {

    public static final long DEFAULT_MAX_BODY_BYTES = 12L * 1024 * 1024;

    public ApiSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (keystore != null && keystorePassword == null)
            throw new IllegalArgumentException("a TLS keystore needs its password");
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("body limit too small: " + maxBodyBytes);
        if (maxAuthFailures < 1) throw new IllegalArgumentException("maxAuthFailures must be at least 1");
        Objects.requireNonNull(failureWindow, "failureWindow");
    }

    /** Plain HTTP with a 12 MB body limit and 5 failed sign-ins per minute per client. */
    public static ApiSettings of(String host, int port) {
        return new ApiSettings(host, port, null, null, DEFAULT_MAX_BODY_BYTES, 5, Duration.ofSeconds(60));
    }

    /** The configured address and TLS keystore; the keystore's password is read from its own file. */
    public static ApiSettings from(HttpConfig http) throws IOException {
        ApiSettings plain = of(http.host(), http.port());
        if (!http.tls()) return plain;
        String password;
        try {
            password = Files.readString(http.tlsPasswordFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read http.tls-password-file " + http.tlsPasswordFile() + ": " + e.getMessage(), e);
        }
        return plain.withTls(http.tlsKeystore(), password);
    }

    public ApiSettings withTls(Path keystore, String password) {
        return new ApiSettings(host, port, keystore, password, maxBodyBytes, maxAuthFailures, failureWindow);
    }

    public ApiSettings withMaxBodyBytes(long bytes) {
        return new ApiSettings(host, port, keystore, keystorePassword, bytes, maxAuthFailures, failureWindow);
    }

    public ApiSettings withAuthLimit(int failures, Duration window) {
        return new ApiSettings(host, port, keystore, keystorePassword, maxBodyBytes, failures, window);
    }

    public boolean tls() {
        return keystore != null;
    }

    @Override
    public String toString() { // keeps the password out of logs
        return "ApiSettings[" + host + ":" + port + (tls() ? ", tls " + keystore : ", plain http") + ", body<="
                + maxBodyBytes + ", " + maxAuthFailures + " failures/" + failureWindow.toSeconds() + "s]";
    }
}
