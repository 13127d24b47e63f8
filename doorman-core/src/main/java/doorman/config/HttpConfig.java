package doorman.config;

import java.nio.file.Path;

/**
 * The enrolment API. It listens on loopback unless told otherwise: it can add faces that open the door, so
 * reaching it from the network is a choice the installer makes (host 0.0.0.0), ideally together with TLS.
 */
public record HttpConfig(boolean enabled, String host, int port, Path tlsKeystore, Path tlsPasswordFile) {

    public HttpConfig {
        Checks.present("http.host", host);
        Checks.between("http.port", port, 1, 65535);
        if ((tlsKeystore == null) != (tlsPasswordFile == null))
            throw new IllegalArgumentException("http.tls-keystore and http.tls-password-file must be set together");
    }

    public static HttpConfig defaults() {
        return new HttpConfig(true, "127.0.0.1", 8080, null, null);
    }

    public boolean tls() {
        return tlsKeystore != null;
    }

    HttpConfig resolvedAgainst(Path base) {
        return new HttpConfig(enabled, host, port, Checks.resolve(base, tlsKeystore), Checks.resolve(base, tlsPasswordFile));
    }
}
