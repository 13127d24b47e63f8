package doorman.http;

import doorman.metrics.Metrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** HTTPS from a PKCS12 keystore made by the JDK's keytool, as an installer would make one. */
class ApiTlsTest {

    private static final String PASSWORD = "door-test-pass";

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static Path keystore;

    /** One keytool run for the class: it is a JVM start of its own. */
    @BeforeAll
    static void makeKeystore() throws Exception {
        keystore = shared.resolve("doorman.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "doorman", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
    }

    private static HttpClient trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    private ApiToken token() throws IOException {
        return ApiFixture.quietToken(dir);
    }

    @Test
    void servesHttpsFromTheConfiguredKeystore() throws Exception {
        ApiSettings settings = ApiSettings.of("127.0.0.1", 0).withTls(keystore, PASSWORD);
        try (ApiServer server = ApiServer.start(settings, token(), new Metrics(), List.of())) {
            assertTrue(server.baseUrl().startsWith("https://127.0.0.1:"));
            HttpClient https = trusting(keystore);
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, health.version());

            TestClient authed = new TestClient(https, server.baseUrl(),
                    Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip());
            assertEquals(200, authed.get("/metrics").statusCode());
            assertEquals(401, authed.withToken("wrong").get("/metrics").statusCode());

            // a client that does not trust the certificate gets no further than the handshake
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThrows(SSLHandshakeException.class, () -> untrusting.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()));
            // and nothing is served in the clear on the TLS port
            String plainUrl = server.baseUrl().replace("https://", "http://");
            try {
                HttpResponse<String> plain = untrusting.send(HttpRequest.newBuilder(URI.create(plainUrl + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertNotEquals(200, plain.statusCode());
            } catch (IOException expected) {
                // Jetty closes the connection on a non-TLS hello
            }
        }
    }

    @Test
    void aMissingKeystoreOrWrongPasswordStopsTheStartWithAClearMessage() throws Exception {
        ApiSettings missing = ApiSettings.of("127.0.0.1", 0).withTls(dir.resolve("absent.p12"), PASSWORD);
        Exception e = assertThrows(Exception.class, () -> ApiServer.start(missing, token(), new Metrics(), List.of()).close());
        assertTrue(String.valueOf(e.getMessage()).contains("absent.p12"), e.getMessage());

        ApiSettings wrongPassword = ApiSettings.of("127.0.0.1", 0).withTls(keystore, "not-the-password");
        Exception w = assertThrows(Exception.class, () -> ApiServer.start(wrongPassword, token(), new Metrics(), List.of()).close());
        assertTrue(String.valueOf(w.getMessage()).contains("doorman.p12"), w.getMessage());
    }
}
