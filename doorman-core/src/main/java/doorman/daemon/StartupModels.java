package doorman.daemon;

import doorman.app.Assembly;
import doorman.camera.OpenCv;
import doorman.config.DoormanConfig;
import doorman.liveness.MiniFasNetLiveness;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The door's models (face detector and encoder, the liveness pair), each loaded on its own thread from the moment the
 * daemon starts, while the main thread opens the gallery and the audit log: start-up time is what systemd restarts
 * cost (docs/performance.md). Closing waits for both loads and closes what they made; close it after every
 * pipeline and checker made from the models.
 */
final class StartupModels implements AutoCloseable {

    private final CompletableFuture<FacePipeline.Shared> faces;
    private final CompletableFuture<MiniFasNetLiveness.Models> liveness;

    private StartupModels(CompletableFuture<FacePipeline.Shared> faces, CompletableFuture<MiniFasNetLiveness.Models> liveness) {
        this.faces = faces;
        this.liveness = liveness;
    }

    static StartupModels start(DoormanConfig config, ModelFiles models, FacePipeline.Options options) {
        return new StartupModels(async("doorman-load-faces", () -> FacePipeline.Shared.load(models, options)),
                async("doorman-load-liveness", () -> {
                    OpenCv.load(); // mapping OpenCV's library is part of the wait too
                    return Assembly.livenessModels(config, models);
                }));
    }

    /** The face models, once loaded; a failed load is thrown here as it was thrown there. */
    FacePipeline.Shared faces() {
        return join(faces);
    }

    /** The liveness models, once loaded; null when the config turns liveness off. */
    MiniFasNetLiveness.Models liveness() {
        return join(liveness);
    }

    @Override
    public void close() {
        closeQuietly(liveness);
        closeQuietly(faces);
    }

    private static <T> CompletableFuture<T> async(String name, Supplier<T> load) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(load.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private static void closeQuietly(CompletableFuture<? extends AutoCloseable> future) {
        try {
            AutoCloseable loaded = future.join();
            if (loaded != null) loaded.close();
        } catch (Exception e) {
            // a load that failed has nothing to close; its error was thrown where the model was asked for
        }
    }
}
