package doorman;

import doorman.lock.PulseTimer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A pulse timer the test moves by hand: {@link #advance} runs what fell due, in order, on the test's thread. */
public final class ManualPulseTimer implements PulseTimer {

    private record Task(long dueNanos, long order, Runnable work, boolean[] cancelled) {}

    private final List<Task> tasks = new ArrayList<>();
    private long nowNanos, created;
    public boolean shutdown;

    @Override
    public synchronized Pending schedule(Runnable work, Duration after) {
        boolean[] cancelled = {false};
        tasks.add(new Task(nowNanos + after.toNanos(), created++, work, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    /** How many scheduled tasks are still waiting (cancelled ones do not count). */
    public synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled()[0]).count();
    }

    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nowNanos + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.dueNanos() <= target)
                        .min(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order)).orElse(null);
                if (next == null) {
                    nowNanos = target;
                    return;
                }
                tasks.remove(next);
                nowNanos = next.dueNanos();
            }
            if (!next.cancelled()[0]) next.work().run(); // outside the monitor, like a real timer thread
        }
    }
}
