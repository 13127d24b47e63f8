package doorman.tflite;

import org.bytedeco.tensorflowlite.FlatBufferModel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TFLite model file loaded once (JavaCPP backend), from which each thread makes its own interpreter. Close every
 * interpreter before this: they read the model's weights in place.
 */
public final class SharedTfliteModel implements AutoCloseable {

    private final Path path;
    private final FlatBufferModel model;
    private boolean closed;

    private SharedTfliteModel(Path path, FlatBufferModel model) {
        this.path = path;
        this.model = model;
    }

    public static SharedTfliteModel load(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
            throw new TfliteException("model file missing or unreadable: " + path);
        FlatBufferModel model = FlatBufferModel.BuildFromFile(path.toString());
        if (model == null || model.isNull()) throw new TfliteException("not a valid TFLite model: " + path);
        return new SharedTfliteModel(path, model);
    }

    /** A new interpreter over this model, for one thread; closing it leaves the model loaded. */
    public synchronized TfliteModel newInterpreter(TfliteOptions options) {
        if (closed) throw new IllegalStateException("model is closed: " + path);
        return JavacppTflite.interpreter(path, model, false, options);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        model.close();
    }
}
