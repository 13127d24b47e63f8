package doorman.tflite;

import org.bytedeco.tensorflowlite.FlatBufferModel;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Each model file is loaded once, however many interpreters run it (the door loop's and the API's): TFLite's
 * FlatBufferModel is immutable and may back interpreters on several threads. It is freed when the last interpreter
 * over it closes, so native memory goes back at a known point.
 */
final class LoadedModels {

    private record Loaded(FlatBufferModel model, int users) {}

    private static final Map<Path, Loaded> LOADED = new HashMap<>();

    private LoadedModels() {
    }

    static synchronized FlatBufferModel acquire(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Loaded loaded = LOADED.get(key);
        if (loaded == null) {
            FlatBufferModel model = FlatBufferModel.BuildFromFile(key.toString());
            if (model == null || model.isNull()) throw new TfliteException("not a valid TFLite model: " + file);
            loaded = new Loaded(model, 0);
        }
        LOADED.put(key, new Loaded(loaded.model(), loaded.users() + 1));
        return loaded.model();
    }

    static synchronized void release(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Loaded loaded = LOADED.get(key);
        if (loaded == null) return;
        if (loaded.users() > 1) {
            LOADED.put(key, new Loaded(loaded.model(), loaded.users() - 1));
        } else {
            LOADED.remove(key);
            loaded.model().close();
        }
    }

    /** How many interpreters use {@code file} now (0 when it is not loaded). */
    static synchronized int users(Path file) {
        Loaded loaded = LOADED.get(file.toAbsolutePath().normalize());
        return loaded == null ? 0 : loaded.users();
    }
}
