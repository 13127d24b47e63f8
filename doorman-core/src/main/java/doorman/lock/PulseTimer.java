package doorman.lock;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends pulses later. The door uses {@link #threaded}, a timer thread; tests use a hand-driven timer, so they
 * check what happens at the end of a pulse without sleeping through it.
 */
public interface PulseTimer {

    /** A release that has not run yet. */
    interface Pending {
        void cancel();
    }

    Pending schedule(Runnable task, Duration after);

    /** A monotonic clock in nanoseconds, the one the delays count in. */
    long nanoTime();

    /** Stops the timer; pending tasks never run. */
    void shutdown();

    static PulseTimer threaded(String name) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-pulse");
            t.setDaemon(true);
            return t;
        });
        return new PulseTimer() {
            @Override
            public Pending schedule(Runnable task, Duration after) {
                ScheduledFuture<?> future = executor.schedule(task, after.toNanos(), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }
        };
    }
}
