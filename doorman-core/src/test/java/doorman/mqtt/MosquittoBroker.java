package doorman.mqtt;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto, started by a test on a free loopback port with a password file and TLS (a throw-away CA and
 * server certificate made with openssl). Tests that use it are skipped with a clear message when mosquitto or
 * openssl is absent (.ci/install-mosquitto installs both). {@link #stop()} and {@link #start()} simulate an outage
 * on the same port.
 */
final class MosquittoBroker implements AutoCloseable {

    static final String USER = "door", PASSWORD = "s3cret-for-tests";

    private final Path dir;
    private final int port;
    private Process process;

    private MosquittoBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Makes the CA, certificate and password file in {@code dir} and starts the broker. */
    static MosquittoBroker startIn(Path dir) throws Exception {
        String mosquitto = find("mosquitto", "/usr/sbin/mosquitto");
        String passwd = find("mosquitto_passwd", "/usr/bin/mosquitto_passwd");
        String openssl = find("openssl", "/usr/bin/openssl");
        Assumptions.assumeTrue(mosquitto != null && passwd != null && openssl != null,
                "mosquitto, mosquitto_passwd or openssl is absent, skipping the MQTT broker tests (run .ci/install-mosquitto)");
        run(dir, openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=doorman test CA");
        run(dir, openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(dir, openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "san.cnf");
        run(dir, passwd, "-b", "-c", "passwd", USER, PASSWORD);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest stdout",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                "cafile " + dir.resolve("ca.pem"),
                "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key"),
                ""));
        MosquittoBroker broker = new MosquittoBroker(dir, port);
        broker.start();
        return broker;
    }

    String url() {
        return "ssl://localhost:" + port;
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A YAML {@code mqtt:} section for this broker, plus {@code extra} keys. */
    String mqttYaml(String door, String extra) {
        return "mqtt: {enabled: true, url: '" + url() + "', username: " + USER + ", password: " + PASSWORD
                + ", ca-file: '" + caFile() + "', door: " + door + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    void start() throws Exception {
        String mosquitto = find("mosquitto", "/usr/sbin/mosquitto");
        process = new ProcessBuilder(mosquitto, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (!process.isAlive())
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
    }

    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String find(String name, String usual) {
        if (Files.isExecutable(Path.of(usual))) return usual;
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
}
