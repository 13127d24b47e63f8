package doorman.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed sign-ins per client address over a sliding window. Once a client has failed
 * {@code maxFailures} times within the window it is locked out until the oldest of those failures ages
 * out; while locked out even a correct token is refused, so guessing cannot go on at full speed.
 * Memory is bounded: only the most recently active clients are remembered.
 */
final class FailureLimiter {

    private static final int MAX_CLIENTS = 4096;

    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    FailureLimiter(int maxFailures, Duration window, LongSupplier nanoClock) {
        if (maxFailures < 1) throw new IllegalArgumentException("maxFailures must be at least 1");
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    FailureLimiter(int maxFailures, Duration window) {
        this(maxFailures, window, System::nanoTime);
    }

    /** Seconds until {@code client} may try again, or 0 when it is not locked out. */
    synchronized long retryAfterSeconds(String client) {
        Deque<Long> times = recent(client);
        if (times == null || times.size() < maxFailures) return 0;
        long waitNanos = times.peekFirst() + windowNanos - nanoClock.getAsLong();
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    synchronized void recordFailure(String client) {
        Deque<Long> times = recent(client);
        if (times == null) {
            times = new ArrayDeque<>();
            failures.put(client, times);
        }
        times.addLast(nanoClock.getAsLong());
        while (times.size() > maxFailures) times.removeFirst();
    }

    /** The client's failures still inside the window, forgetting the client once none are. */
    private Deque<Long> recent(String client) {
        Deque<Long> times = failures.get(client);
        if (times == null) return null;
        long now = nanoClock.getAsLong();
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) times.removeFirst();
        if (times.isEmpty()) {
            failures.remove(client);
            return null;
        }
        return times;
    }
}
