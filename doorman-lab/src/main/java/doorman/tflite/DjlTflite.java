package doorman.tflite;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import doorman.tflite.model.FlatModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The second backend: DJL's TFLite engine (TFLite 2.6 natives, x86_64 only, no XNNPACK, no input
 * resizing). Kept to cross-check the default backend; never the default. DJL reuses its output arrays on
 * the next predict, so outputs are copied before returning.
 */
public final class DjlTflite implements TfliteModel {

    /** DJL's engine as a {@link Backend}, registered for {@code Backend.parse("djl")} in META-INF/services. */
    public static final class AsBackend implements Backend {
        @Override
        public String name() {
            return "djl";
        }

        @Override
        public TfliteModel load(Path model, TfliteOptions options) {
            return DjlTflite.load(model, options);
        }
    }

    public static final Backend BACKEND = new AsBackend();

    private final Path path;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final int[] inputShape;
    private int[][] outputShapes;
    private boolean closed;

    private DjlTflite(Path path, Model model, int[] inputShape) {
        this.path = path;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.inputShape = inputShape;
    }

    public static TfliteModel load(Path path, TfliteOptions options) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
            throw new TfliteException("model file missing or unreadable: " + path);
        if (options.inputShape() != null) throw new TfliteException("the DJL backend cannot resize inputs (" + path + ")");
        // DJL must not try the network for natives: the tflite-native-cpu jar on the class path has them.
        System.setProperty("ai.djl.offline", "true");
        Model model = Model.newInstance(path.getFileName().toString(), "TFLite");
        try {
            String name = path.getFileName().toString();
            model.load(path.toAbsolutePath().getParent(), name.substring(0, name.length() - ".tflite".length()));
            int[] dims = modelInputShape(path);
            DjlTflite loaded = new DjlTflite(path, model, dims);
            loaded.run(new float[JavacppTflite.product(dims)]); // learn the output shapes
            return loaded;
        } catch (IOException | RuntimeException | ai.djl.MalformedModelException e) {
            model.close();
            throw new TfliteException("DJL could not load " + path + ": " + e.getMessage(), e);
        }
    }

    /** DJL's TFLite model cannot describe its input, so read the shape from the file itself. */
    private static int[] modelInputShape(Path path) throws IOException {
        FlatModel flat = new FlatModel(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)));
        FlatModel.Tensor input = flat.tensors().get(flat.inputs().get(flat.bytes(), 0));
        return flat.toArray(input.shape());
    }

    @Override
    public float[][] run(float[] input) {
        if (closed) throw new IllegalStateException("model is closed: " + path);
        if (input.length != JavacppTflite.product(inputShape))
            throw new TfliteException(path + ": input has " + input.length + " values, expected " + JavacppTflite.product(inputShape));
        long[] shape = new long[inputShape.length];
        for (int i = 0; i < shape.length; i++) shape[i] = inputShape[i];
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(input, new Shape(shape));
            NDList out = predictor.predict(new NDList(x));
            float[][] copies = new float[out.size()][];
            int[][] shapes = new int[out.size()][];
            for (int i = 0; i < copies.length; i++) {
                copies[i] = out.get(i).toFloatArray();
                long[] s = out.get(i).getShape().getShape();
                shapes[i] = new int[s.length];
                for (int d = 0; d < s.length; d++) shapes[i][d] = (int) s[d];
            }
            outputShapes = shapes;
            return copies;
        } catch (TranslateException e) {
            throw new TfliteException(path + ": inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[][] outputShapes() {
        return JavacppTflite.deepCopy(outputShapes);
    }

    @Override
    public String backend() {
        return "djl";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        predictor.close();
        model.close();
    }
}
