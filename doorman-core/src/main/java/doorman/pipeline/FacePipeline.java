package doorman.pipeline;

import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.embedding.FaceEncoder;
import doorman.models.ModelFiles;
import doorman.tflite.Backend;
import doorman.tflite.SharedTfliteModel;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.Detector;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.ImageDecoder;
import doorman.camera.OpenCv;
import org.opencv.core.Mat;

import java.nio.file.Path;
import java.util.List;

/**
 * A still image to embeddings: decode -> detect (BlazeFace) -> align (112x112 similarity warp) -> encode.
 * One instance per thread (it owns TFLite interpreters); close it to free their native memory.
 */
public final class FacePipeline implements Detector, Encoder, AutoCloseable {

    /** How to build the pipeline; {@link #defaults()} is what the CLI and daemon use unless told otherwise. */
    public record Options(Backend backend, int threads, BlazeFaceDetector.Range range, float minScore,
                          EncoderChoice encoder, boolean flip, FaceEncoder.Input input) {
        public Options(Backend backend, int threads, BlazeFaceDetector.Range range, float minScore, EncoderChoice encoder,
                       boolean flip) {
            this(backend, threads, range, minScore, encoder, flip, FaceEncoder.Input.RGB_CENTRED);
        }

        public static Options defaults() {
            return new Options(Backend.JAVACPP, 1, BlazeFaceDetector.Range.FULL, BlazeFaceDetector.DEFAULT_MIN_SCORE,
                    EncoderChoice.HEAD_128, false);
        }

        public Options withInput(FaceEncoder.Input i) {
            return new Options(backend, threads, range, minScore, encoder, flip, i);
        }

        public Options withEncoder(EncoderChoice e) {
            return new Options(backend, threads, range, minScore, e, flip, input);
        }

        public Options withThreads(int n) {
            return new Options(backend, n, range, minScore, encoder, flip, input);
        }

        public Options withBackend(Backend b) {
            return new Options(b, threads, range, minScore, encoder, flip, input);
        }
    }

    /** One face of an image with its embedding, and how many faces the image had. */
    public record FaceEmbedding(Face face, Embedding embedding, int facesInImage) {}

    private final BlazeFaceDetector detector;
    private final FaceAligner aligner = new FaceAligner();
    private final FaceEncoder encoder;

    private FacePipeline(BlazeFaceDetector detector, FaceEncoder encoder) {
        this.detector = detector;
        this.encoder = encoder;
    }

    public static FacePipeline open(ModelFiles models, Options options) {
        Path detectorFile = models.require(options.range().modelFile());
        Path encoderFile = models.require(options.encoder().modelFile());
        return assemble(options, tflite -> options.backend().load(detectorFile, tflite),
                tflite -> options.backend().load(encoderFile, tflite));
    }

    /**
     * The detector and encoder files loaded once (JavaCPP), for several threads' pipelines: the door loop's and the
     * API's. Close every pipeline made from it first; their interpreters read its weights in place.
     */
    public static final class Shared implements AutoCloseable {
        private final Options options;
        private final SharedTfliteModel detector;
        private final SharedTfliteModel encoder;

        private Shared(Options options, SharedTfliteModel detector, SharedTfliteModel encoder) {
            this.options = options;
            this.detector = detector;
            this.encoder = encoder;
        }

        public static Shared load(ModelFiles models, Options options) {
            SharedTfliteModel detector = SharedTfliteModel.load(models.require(options.range().modelFile()));
            try {
                return new Shared(options, detector, SharedTfliteModel.load(models.require(options.encoder().modelFile())));
            } catch (RuntimeException e) {
                detector.close();
                throw e;
            }
        }

        /** A pipeline with its own interpreters over the shared models, for one thread. */
        public FacePipeline open(int threads) {
            return assemble(options.withThreads(threads), detector::newInterpreter, encoder::newInterpreter);
        }

        @Override
        public void close() {
            detector.close();
            encoder.close();
        }
    }

    private static FacePipeline assemble(Options options, java.util.function.Function<TfliteOptions, TfliteModel> detectorModel,
                                         java.util.function.Function<TfliteOptions, TfliteModel> encoderModel) {
        OpenCv.load();
        TfliteOptions tflite = TfliteOptions.defaults().withThreads(options.threads());
        BlazeFaceDetector detector = new BlazeFaceDetector(detectorModel.apply(tflite), options.range(), options.minScore());
        try {
            FaceEncoder encoder = new FaceEncoder(encoderModel.apply(tflite), options.encoder().spaceName(),
                    options.flip(), options.input());
            return new FacePipeline(detector, encoder);
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    @Override
    public String space() {
        return encoder.name();
    }

    /** The embedding space's name, stored with templates. */
    public String encoderName() {
        return encoder.name();
    }

    public int dimension() {
        return encoder.dimension();
    }

    /** Faces in the image, largest first. */
    @Override
    public List<Face> detect(Mat bgr) {
        return detector.detect(bgr);
    }

    @Override
    public Embedding embed(Mat bgr, Face face) {
        Mat aligned = aligner.align(bgr, face);
        try {
            return encoder.encode(aligned);
        } finally {
            aligned.release();
        }
    }

    /** The largest face's embedding, or null when the image has no face. */
    public FaceEmbedding largest(Mat bgr) {
        List<Face> faces = detect(bgr);
        if (faces.isEmpty()) return null;
        return new FaceEmbedding(faces.get(0), embed(bgr, faces.get(0)), faces.size());
    }

    /** Reads an image file (bounded decode) and embeds its largest face; null when it has none. */
    public FaceEmbedding largest(Path image) {
        Mat bgr = ImageDecoder.read(image);
        try {
            return largest(bgr);
        } finally {
            bgr.release();
        }
    }

    @Override
    public void close() {
        detector.close();
        encoder.close();
    }
}
