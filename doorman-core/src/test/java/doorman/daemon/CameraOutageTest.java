package doorman.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.MutableClock;
import doorman.TestData;
import doorman.camera.FrameSource;
import doorman.config.DoormanConfig;
import doorman.lock.DryRunLock;
import doorman.models.ModelFiles;
import doorman.vision.ImageDecoder;
import doorman.camera.OpenCv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The camera goes silent for a minute (by the daemon's clock) in the middle of a run: the loop keeps turning
 * (and so keeps feeding systemd's watchdog), /healthz and the metrics say the camera is down, the relay stays
 * released, and everything is back to normal when frames return.
 */
class CameraOutageTest {

    @TempDir
    Path data;

    /** Hands out one photo as frames; after {@code beforeStall} frames it blocks until the test lets it go on. */
    static final class StallingCamera implements FrameSource {
        final Path photo;
        final int beforeStall;
        final Semaphore resume = new Semaphore(0);
        final AtomicInteger served = new AtomicInteger();
        volatile boolean closed;

        StallingCamera(Path photo, int beforeStall) {
            this.photo = photo;
            this.beforeStall = beforeStall;
        }

        @Override
        public Optional<Mat> next() {
            if (served.get() == beforeStall) {
                try {
                    while (!closed && !resume.tryAcquire(50, TimeUnit.MILLISECONDS)) Thread.onSpinWait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            if (closed) return Optional.empty();
            served.incrementAndGet();
            return Optional.of(ImageDecoder.read(photo));
        }

        @Override
        public String describe() {
            return "stalling camera";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aSilentCameraIsReportedDownWhileTheLoopKeepsTurningAndTheLockStaysReleased() throws Exception {
        OpenCv.load();
        Path photo = TestData.images(TestData.dataset("samples/johns/John_Savage")).get(0);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DoormanConfig config = DoormanConfig.parse("""
                data-dir: %s
                camera: {type: v4l2, device: /dev/null}
                liveness: {enabled: false, i-understand: true}
                lock: {type: dry-run, pulse-ms: 100}
                http: {enabled: true, host: 127.0.0.1, port: %d}
                """.formatted(data, port), "test config");
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        StallingCamera camera = new StallingCamera(photo, 3);
        DryRunLock lock = new DryRunLock();
        AtomicBoolean everEnergised = new AtomicBoolean();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (DoorDaemon daemon = DoorDaemon.open(config, ModelFiles.locate(), lock, camera, clock, quiet)) {
            Thread runner = new Thread(() -> daemon.run(0), "door loop");
            runner.start();
            String token = Files.readString(data.resolve("api-token")).trim();
            Http http = new Http(port, token);

            waitFor(() -> camera.served.get() == 3 && http.health().path("camera").path("frames").asLong() == 3, "first frames");
            assertEquals(200, http.healthStatus());

            clock.advance(Duration.ofSeconds(60));
            waitFor(() -> http.healthStatus() == 503, "camera reported down");
            assertEquals("camera down", http.health().path("status").asText());
            waitFor(() -> http.metric("doorman_camera_up") == 0.0, "metrics say the camera is down");
            double turns = http.metric(DoorDaemon.LOOP_TURNS);
            waitFor(() -> http.metric(DoorDaemon.LOOP_TURNS) >= turns + 3, "the loop keeps turning without frames");
            everEnergised.compareAndSet(false, daemon.lockEnergised());

            camera.resume.release();
            waitFor(() -> http.healthStatus() == 200, "camera back");
            waitFor(() -> http.metric("doorman_camera_up") == 1.0, "metrics say the camera is up");
            assertTrue(camera.served.get() > 3);
            everEnergised.compareAndSet(false, daemon.lockEnergised());

            daemon.stop();
            runner.join(10_000);
            assertFalse(runner.isAlive(), "the loop ends promptly when stopped, camera or not");
        }
        assertFalse(everEnergised.get(), "nobody enrolled: the relay never moves");
        assertFalse(lock.energised());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // generous: a busy CI machine
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }

    /** The daemon's own HTTP port on loopback. */
    private record Http(int port, String token) {
        private static final HttpClient CLIENT = HttpClient.newHttpClient();
        private static final ObjectMapper JSON = new ObjectMapper();

        HttpResponse<String> get(String path) {
            try {
                return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        int healthStatus() {
            return get("/healthz").statusCode();
        }

        JsonNode health() {
            try {
                return JSON.readTree(get("/healthz").body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        double metric(String name) {
            Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(get("/metrics").body());
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
    }
}
