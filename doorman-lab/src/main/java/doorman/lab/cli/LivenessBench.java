package doorman.lab.cli;

import doorman.cli.Failures;
import doorman.embedding.FaceEncoder;
import doorman.liveness.LivenessCalibration;
import doorman.liveness.MiniFasNetLiveness;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.tflite.Backend;
import doorman.tflite.TfliteOptions;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.LivenessChecker;
import doorman.vision.LivenessModel;
import org.opencv.core.Mat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The bench's liveness stages: per-face time of each liveness model in the same run, and one whole door frame
 * (detect, align, embed 128, MiniFASNet) as the daemon runs it.
 */
final class LivenessBench {

    /** BenchCommand's timer. */
    interface Timer {
        <T> BenchCommand.Stage time(String name, Supplier<T> call, Consumer<T> cleanup);
    }

    private LivenessBench() {}

    static List<BenchCommand.Stage> stages(ModelFiles files, TfliteOptions tflite, Mat bgr, Face face,
                                           BlazeFaceDetector detector, List<String> models, Timer timer) {
        List<BenchCommand.Stage> stages = new ArrayList<>();
        for (String m : models) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            if (name.equals("none")) continue;
            try (LivenessModel model = open(name, files, tflite)) {
                String label = name.equals("new") ? "liveness MiniFASNet V2+V1SE (javacpp)" : "liveness FaceAntiSpoofing (javacpp)";
                stages.add(timer.time(label, () -> model.check(bgr, face), r -> {}));
            }
        }
        if (models.stream().anyMatch(m -> m.trim().equalsIgnoreCase("new"))) {
            FaceAligner aligner = new FaceAligner();
            try (LivenessModel model = open("new", files, tflite);
                 FaceEncoder encoder = new FaceEncoder(Backend.JAVACPP.load(files.require(EncoderChoice.HEAD_128.modelFile()), tflite),
                         EncoderChoice.HEAD_128.spaceName(), false)) {
                stages.add(timer.time("whole frame: detect, align, embed 128, liveness", () -> {
                    List<Face> faces = detector.detect(bgr);
                    Mat aligned = aligner.align(bgr, faces.get(0));
                    try {
                        encoder.encode(aligned);
                    } finally {
                        aligned.release();
                    }
                    return model.check(bgr, faces.get(0));
                }, r -> {}));
            }
        }
        return stages;
    }

    private static LivenessModel open(String name, ModelFiles files, TfliteOptions tflite) {
        return switch (name) {
            case "new" -> {
                double threshold;
                try {
                    threshold = LivenessCalibration.read(files.dir().resolve(LivenessCalibration.FILE_NAME)).threshold();
                } catch (java.io.IOException e) {
                    threshold = 0.5; // the bench times the models; the threshold does not change the cost
                }
                yield new MiniFasNetLiveness(Backend.JAVACPP.load(files.require(ModelFiles.MINIFASNET_V2), tflite),
                        Backend.JAVACPP.load(files.require(ModelFiles.MINIFASNET_V1SE), tflite), threshold);
            }
            case "old" -> new LivenessChecker(Backend.JAVACPP.load(files.require(ModelFiles.ANTI_SPOOFING), tflite));
            default -> throw Failures.badInput("unknown liveness model '" + name + "' (use new, old or none)");
        };
    }
}
