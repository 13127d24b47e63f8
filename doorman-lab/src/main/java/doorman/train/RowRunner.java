package doorman.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a per-row body over contiguous slices of rows on a fixed number of threads. Each row's result
 * depends only on that row, never on how rows were split, so training is bit-identical for any thread count.
 */
final class RowRunner implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    RowRunner(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "doorman-train");
            t.setDaemon(true);
            return t;
        });
    }

    void forEach(int rows, IntConsumer body) {
        if (pool == null || rows < 2 * threads) {
            for (int r = 0; r < rows; r++) body.accept(r);
            return;
        }
        List<Callable<Void>> slices = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) rows * t / threads), to = (int) ((long) rows * (t + 1) / threads);
            slices.add(() -> {
                for (int r = from; r < to; r++) body.accept(r);
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(slices)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
