package doorman.http;

import doorman.TestData;
import doorman.audit.AuditLog;
import doorman.config.AuditConfig;
import doorman.gallery.Gallery;
import doorman.lock.DryRunLock;
import doorman.metrics.Metrics;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.tflite.Backend;
import doorman.tflite.TfliteOptions;
import doorman.liveness.LivenessCalibration;
import doorman.liveness.MiniFasNetLiveness;
import doorman.vision.LivenessModel;
import doorman.vision.QualityGate;
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
 * <p>
 * Most tests are about the HTTP side, and most LFW photos are grainy press scans that the default quality
 * gate and the anti-spoofing model rightly refuse; so by default the gate is lenient and the spoof check
 * off. {@link #startStrict} runs the default gate and the real liveness model, as the daemon does.
 */
final class ApiFixture implements AutoCloseable {

    /** Margins of the right order for MobileFaceNet's 192-d space; tests compare distances, not these cut-offs. */

    final Path dataDir;
    final Gallery gallery;
    final FacePipeline pipeline;
    final LivenessModel liveness;
    final Metrics metrics = new Metrics();
    final AuditLog audit;
    final DryRunLock lock = new DryRunLock();
    final ApiServer server;
    final String token;
    final TestClient client;

    /** Far below the defaults: lets any clearly visible face through. */
    static final QualityGate.Thresholds LENIENT = new QualityGate.Thresholds(8, 5, 0.9, 0.05, 0.95, 80, 10, 250);

    private ApiFixture(Path dataDir, ApiSettings settings, DoorCamera camera, boolean strict) throws IOException {
        this.dataDir = dataDir;
        ModelFiles models = ModelFiles.locate();
        Assumptions.assumeTrue(Files.isRegularFile(models.dir().resolve(ModelFiles.MOBILEFACENET)),
                "models absent in " + models.dir().toAbsolutePath() + " (build first, or -Ddoorman.models.dir=...)");
        this.pipeline = FacePipeline.open(models, FacePipeline.Options.defaults());
        this.liveness = strict
                ? MiniFasNetLiveness.load(models, LivenessCalibration.read(models.dir().resolve(LivenessCalibration.FILE_NAME)).threshold())
                : null;
        this.gallery = Gallery.open(dataDir);
        this.audit = AuditLog.open(dataDir, new AuditConfig(30, 10_000), Clock.systemUTC());
        ApiToken apiToken = ApiToken.loadOrCreate(dataDir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        this.token = Files.readString(dataDir.resolve(ApiToken.FILE_NAME)).strip();
        doorman.match.Calibration calibration = doorman.match.CalibrationJson.read(
                doorman.match.CalibrationJson.forSpace(models.dir(), pipeline.encoderName()));
        this.server = ApiServer.start(settings, apiToken, metrics,
                new ApiServices(gallery, pipeline, strict ? doorman.app.Assembly.qualityGate(doorman.config.QualityConfig.defaults()) : new QualityGate(LENIENT), liveness,
                        calibration, doorman.match.DoorSettings.load(models.dir(), calibration, doorman.match.DoorSettings.DEFAULT_TARGET),
                        audit, lock,
                        Duration.ofMillis(800), camera));
        this.client = new TestClient(server.baseUrl(), token);
    }

    static ApiFixture start(Path dataDir, ApiSettings settings, DoorCamera camera) {
        try {
            return new ApiFixture(dataDir, settings, camera, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With the default quality gate and the real anti-spoofing model. */
    static ApiFixture startStrict(Path dataDir) {
        return startStrict(dataDir, null);
    }

    /** As {@link #startStrict(Path)}, with a door camera for capture. */
    static ApiFixture startStrict(Path dataDir, DoorCamera camera) {
        try {
            return new ApiFixture(dataDir, ApiSettings.of("127.0.0.1", 0), camera, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiFixture start(Path dataDir) {
        return start(dataDir, ApiSettings.of("127.0.0.1", 0), null);
    }

    /** A file under the shared datasets folder, or a skipped test. */
    /** The API token of {@code dir}, made on first use without printing it (as the daemon prints it once). */
    static ApiToken quietToken(Path dir) throws java.io.IOException {
        return ApiToken.loadOrCreate(dir, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
                java.nio.charset.StandardCharsets.UTF_8));
    }

    static Path shared(String relative) {
        return TestData.dataset(relative);
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
        if (liveness != null) liveness.close();
        pipeline.close();
    }
}
