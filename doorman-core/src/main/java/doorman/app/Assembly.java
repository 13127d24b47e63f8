package doorman.app;

import doorman.config.DetectionConfig;
import doorman.config.DoormanConfig;
import doorman.config.QualityConfig;
import doorman.match.Calibration;
import doorman.match.CalibrationJson;
import doorman.match.DoorSettings;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.tflite.Backend;
import doorman.vision.BlazeFaceDetector;
import doorman.liveness.LivenessCalibration;
import doorman.liveness.MiniFasNetLiveness;
import doorman.vision.LivenessModel;
import doorman.vision.QualityGate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that turns the config into components, for {@code doorman run}, {@code doorman serve} and the
 * CLI alike. Domain packages take their own small settings records (the detector's range, the quality gate's
 * thresholds, ...); every translation from the YAML's words and units into those records happens here, once.
 */
public final class Assembly {

    private Assembly() {
    }

    /** How the config asks faces to be found and embedded, with {@code threads} interpreter threads. */
    public static FacePipeline.Options pipelineOptions(DoormanConfig config, int threads) {
        EncoderChoice encoder = config.match().encoder() == 128 ? EncoderChoice.HEAD_128 : EncoderChoice.RAW_192;
        return new FacePipeline.Options(Backend.JAVACPP, threads, range(config.detection().range()),
                (float) config.detection().minScore(), encoder, false);
    }

    public static BlazeFaceDetector.Range range(DetectionConfig.Range range) {
        return range == DetectionConfig.Range.SHORT ? BlazeFaceDetector.Range.SHORT : BlazeFaceDetector.Range.FULL;
    }

    /**
     * The config speaks in degrees; the gate measures the nose's offset relative to the eye distance. With the nose
     * tip about 0.7 eye distances in front of the eye line, a turn of a degrees moves it by 0.7 sin(a). Roll is
     * not configurable: alignment undoes it, so the gate only refuses faces lying on their side (over 45 degrees).
     */
    public static QualityGate qualityGate(QualityConfig q) {
        double yaw = 0.7 * Math.sin(Math.toRadians(q.maxYaw()));
        double pitch = 0.7 * Math.sin(Math.toRadians(q.maxPitch()));
        return new QualityGate(new QualityGate.Thresholds(q.minEyeDistance(), q.minBlur(), yaw, 0.5 - pitch, 0.5 + pitch,
                MAX_ROLL_DEGREES, q.minBrightness(), q.maxBrightness()));
    }

    static final double MAX_ROLL_DEGREES = 45;

    /**
     * The door's decision settings: the stranger-accept target per visit from the config, with the stranger curve
     * measured for the encoder's space (shipped beside the models).
     */
    public static DoorSettings doorSettings(DoormanConfig config, ModelFiles models, Calibration calibration) {
        return DoorSettings.load(models.dir(), calibration, config.match().strangerAcceptPerVisit());
    }

    /** MiniFASNet's two models, loaded once for every thread's checker; null when liveness is turned off. */
    public static MiniFasNetLiveness.Models livenessModels(DoormanConfig config, ModelFiles models) {
        return config.liveness().enabled() ? MiniFasNetLiveness.Models.load(models) : null;
    }

    /** One thread's liveness check with the config's threshold or else the calibrated one; null when turned off. */
    public static LivenessModel liveness(DoormanConfig config, ModelFiles models) {
        if (!config.liveness().enabled()) return null;
        return MiniFasNetLiveness.load(models, livenessThreshold(config, models));
    }

    /** The config's liveness threshold, else the one calibrated on the spoof sets (calibration-liveness.json). */
    public static double livenessThreshold(DoormanConfig config, ModelFiles models) {
        if (config.liveness().threshold() != null) return config.liveness().threshold();
        try {
            return LivenessCalibration.read(models.dir().resolve(LivenessCalibration.FILE_NAME)).threshold();
        } catch (IOException e) {
            throw new IllegalStateException("liveness calibration: " + e.getMessage(), e);
        }
    }

    /**
     * The margins for the encoder's embedding space: the config's calibration file, else the one the build put
     * beside the models. A file for another space is refused, since its distances would mean nothing here.
     */
    public static Calibration calibration(DoormanConfig config, ModelFiles models, String space) {
        Path file = config.match().calibration() != null ? config.match().calibration()
                : CalibrationJson.forSpace(models.dir(), space);
        if (!Files.isRegularFile(file))
            throw new IllegalStateException("no calibration for " + space + " at " + file + " (run 'doorman calibrate')");
        Calibration c;
        try {
            c = CalibrationJson.read(file);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable calibration " + file + ": " + e.getMessage(), e);
        }
        if (!c.encoder().equals(space))
            throw new IllegalStateException(file + " calibrates " + c.encoder() + ", but the encoder makes " + space);
        return c;
    }
}
