package doorman.http;

import doorman.audit.AuditLog;
import doorman.config.AuditConfig;
import doorman.gallery.Gallery;
import doorman.lock.DryRunLock;
import doorman.match.Calibration;
import doorman.metrics.Metrics;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real API on loopback over a real MapDB gallery and the real TFLite pipeline, in a temporary data
 * directory. Skips the test, saying why, when the models or the shared photos are absent.
 */
final class ApiFixture implements AutoCloseable {

    /** Margins of the right order for MobileFaceNet's 192-d space; tests compare distances, not these cut-offs. */
    static final Calibration CALIBRATION = new Calibration("mobilefacenet-192", -9.0, 9.0, 0.9, 1.3, 0.001);

    final Path dataDir;
    final Gallery gallery;
    final FacePipeline pipeline;
    final Metrics metrics = new Metrics();
    final AuditLog audit;
    final DryRunLock lock = new DryRunLock();
    final ApiServer server;
    final String token;
    final TestClient client;

    private ApiFixture(Path dataDir, ApiSettings settings, DoorCamera camera) throws IOException {
        this.dataDir = dataDir;
        ModelFiles models = ModelFiles.locate();
        Assumptions.assumeTrue(Files.isRegularFile(models.dir().resolve(ModelFiles.MOBILEFACENET)),
                "models absent in " + models.dir().toAbsolutePath() + " (build first, or -Ddoorman.models.dir=...)");
        this.pipeline = FacePipeline.open(models, FacePipeline.Options.defaults());
        this.gallery = Gallery.open(dataDir);
        this.audit = AuditLog.open(dataDir, new AuditConfig(30, 10_000), Clock.systemUTC());
        ApiToken apiToken = ApiToken.loadOrCreate(dataDir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        this.token = Files.readString(dataDir.resolve(ApiToken.FILE_NAME)).strip();
        this.server = ApiServer.start(settings, apiToken, metrics,
                new ApiServices(gallery, pipeline, CALIBRATION, 0.02, audit, lock, Duration.ofMillis(800), camera));
        this.client = new TestClient(server.baseUrl(), token);
    }

    static ApiFixture start(Path dataDir, ApiSettings settings, DoorCamera camera) {
        try {
            return new ApiFixture(dataDir, settings, camera);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiFixture start(Path dataDir) {
        return start(dataDir, ApiSettings.of("127.0.0.1", 0), null);
    }

    /** A file under the shared datasets folder, or a skipped test. */
    static Path shared(String relative) {
        Path p = Path.of(System.getProperty("doorman.shared", "../shared/datasets")).resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared dataset absent: " + p.toAbsolutePath()
                + " (set -Ddoorman.shared=<datasets folder>)");
        return p;
    }

    static byte[] photo(String relative) {
        try {
            return Files.readAllBytes(shared(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        lock.close();
        audit.close();
        gallery.close();
        pipeline.close();
    }
}
