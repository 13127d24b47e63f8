package doorman.tflite;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

/**
 * The default backend: TensorFlow Lite's C++ interpreter through JavaCPP. The default op resolver applies
 * the XNNPACK delegate; the "without default delegates" resolver turns it off for comparisons.
 */
public final class JavacppTflite implements TfliteModel {

    private final Path path;
    private final FlatBufferModel model;
    /** False for an interpreter over a {@link SharedTfliteModel}: its owner frees the model. */
    private final boolean ownsModel;
    private final BuiltinOpResolver resolver;
    private final Interpreter interpreter;
    private final int[] inputShape;
    private final int[][] outputShapes;
    private final int inputSize;
    private boolean closed;

    private JavacppTflite(Path path, FlatBufferModel model, boolean ownsModel, BuiltinOpResolver resolver, Interpreter interpreter) {
        this.path = path;
        this.model = model;
        this.ownsModel = ownsModel;
        this.resolver = resolver;
        this.interpreter = interpreter;
        TfLiteTensor input = interpreter.input_tensor(0);
        if (input.type() != kTfLiteFloat32) throw fail("input is not float32");
        this.inputShape = dims(input.dims());
        this.inputSize = product(inputShape);
        int outputs = (int) interpreter.outputs().limit();
        this.outputShapes = new int[outputs][];
        for (int i = 0; i < outputs; i++) {
            TfLiteTensor out = interpreter.output_tensor(i);
            if (out.type() != kTfLiteFloat32) throw fail("output " + i + " is not float32");
            outputShapes[i] = dims(out.dims());
        }
    }

    public static TfliteModel load(Path path, TfliteOptions options) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
            throw new TfliteException("model file missing or unreadable: " + path);
        FlatBufferModel model = FlatBufferModel.BuildFromFile(path.toString());
        if (model == null || model.isNull()) throw new TfliteException("not a valid TFLite model: " + path);
        try {
            return interpreter(path, model, true, options);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** An interpreter over an already loaded model; frees the model on close only when it {@code ownsModel}. */
    static JavacppTflite interpreter(Path path, FlatBufferModel model, boolean ownsModel, TfliteOptions options) {
        BuiltinOpResolver resolver = options.xnnpack() ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        Interpreter interpreter = new Interpreter((Pointer) null);
        try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
            builder.SetNumThreads(options.threads());
            if (builder.apply(interpreter) != kTfLiteOk || interpreter.isNull())
                throw new TfliteException("could not build an interpreter for " + path);
            if (options.inputShape() != null
                    && interpreter.ResizeInputTensor(interpreter.inputs().get(0), options.inputShape()) != kTfLiteOk)
                throw new TfliteException("could not resize the input of " + path);
            if (interpreter.AllocateTensors() != kTfLiteOk) throw new TfliteException("could not allocate tensors for " + path);
            return new JavacppTflite(path, model, ownsModel, resolver, interpreter);
        } catch (RuntimeException e) {
            interpreter.close();
            resolver.close();
            throw e;
        }
    }

    @Override
    public float[][] run(float[] input) {
        if (closed) throw new IllegalStateException("model is closed: " + path);
        if (input.length != inputSize) throw fail("input has " + input.length + " values, expected " + inputSize);
        interpreter.typed_input_tensor_float(0).put(input);
        if (interpreter.Invoke() != kTfLiteOk) throw fail("inference failed");
        float[][] out = new float[outputShapes.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[product(outputShapes[i])];
            FloatPointer p = interpreter.typed_output_tensor_float(i);
            p.get(out[i]);
        }
        return out;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[][] outputShapes() {
        return deepCopy(outputShapes);
    }

    @Override
    public String backend() {
        return "javacpp";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // The interpreter refers to the model's buffers and the resolver's kernels: free it first.
        interpreter.close();
        resolver.close();
        if (ownsModel) model.close();
    }

    private TfliteException fail(String what) {
        return new TfliteException(path + ": " + what);
    }

    private static int[] dims(TfLiteIntArray dims) {
        int[] out = new int[dims.size()];
        for (int i = 0; i < out.length; i++) out[i] = dims.data(i);
        return out;
    }

    static int[][] deepCopy(int[][] shapes) {
        int[][] copy = new int[shapes.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = shapes[i].clone();
        return copy;
    }

    static int product(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
