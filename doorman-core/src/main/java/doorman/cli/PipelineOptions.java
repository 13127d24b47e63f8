package doorman.cli;

import doorman.app.Assembly;
import doorman.config.DoormanConfig;
import doorman.embedding.FaceEncoder;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.tflite.Backend;
import doorman.vision.BlazeFaceDetector;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by every command that looks at faces. */
public final class PipelineOptions {

    @Option(names = "--backend", defaultValue = "javacpp", description = "TFLite backend: javacpp (XNNPACK) or djl. Default: ${DEFAULT-VALUE}.")
    public String backend;

    @Option(names = "--threads", defaultValue = "1", description = "Interpreter threads. Default: ${DEFAULT-VALUE}.")
    public int threads;

    @Option(names = "--detector", description = "BlazeFace model: full (to ~5 m) or short (to ~2 m). Default: full, or the config's.")
    public String detector;

    @Option(names = "--encoder", description = "Embedding: 128 (our triplet head, as the daemon) or 192 (MobileFaceNet's raw output). Default: 128, or the config's.")
    public String encoder;

    @Option(names = "--config", description = "The door's config file: its detector, encoder and quality gate, so the answer is the door's.")
    public Path config;

    @Option(names = "--flip", description = "Also embed the mirrored face (slower, slightly more accurate).")
    public boolean flip;

    @Option(names = "--input", defaultValue = "rgb-centred", hidden = true,
            description = "Encoder input for experiments: rgb-centred (the trained one), bgr-centred, rgb-unit.")
    public String input;

    @Option(names = "--models", description = "Folder with the model files (default: the build's models).")
    public Path models;

    /** The door's settings: the --config file, else the defaults every door starts from. */
    public DoormanConfig settings() {
        return config == null ? DoormanConfig.defaults() : DoormanConfig.load(config);
    }

    public FacePipeline.Options options() {
        if (threads < 1 || threads > 64) throw Failures.badInput("--threads must be between 1 and 64");
        if (config != null) {
            // one source for the door's settings: a flag that disagreed with the config would be silently ignored
            if (encoder != null || detector != null || flip)
                throw new Failures.UserError(Doorman.USAGE, "--config sets the encoder and detector; leave out --encoder, --detector and --flip");
            return Assembly.pipelineOptions(settings(), threads).withBackend(Backend.parse(backend));
        }
        String detector = this.detector == null ? "full" : this.detector;
        String encoder = this.encoder == null ? "128" : this.encoder;
        BlazeFaceDetector.Range range = switch (detector.trim().toLowerCase()) {
            case "full" -> BlazeFaceDetector.Range.FULL;
            case "short" -> BlazeFaceDetector.Range.SHORT;
            default -> throw Failures.badInput("unknown detector '" + detector + "' (use full or short)");
        };
        FaceEncoder.Input format;
        try {
            format = FaceEncoder.Input.valueOf(input.trim().toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Failures.badInput("unknown --input '" + input + "' (rgb-centred, bgr-centred or rgb-unit)");
        }
        return new FacePipeline.Options(Backend.parse(backend), threads, range, BlazeFaceDetector.DEFAULT_MIN_SCORE,
                EncoderChoice.parse(encoder), flip, format);
    }

    public ModelFiles modelFiles() {
        return models == null ? ModelFiles.locate() : new ModelFiles(models);
    }

    public FacePipeline open() {
        return FacePipeline.open(modelFiles(), options());
    }
}
