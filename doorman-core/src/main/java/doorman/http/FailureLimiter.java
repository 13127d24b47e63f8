package doorman.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Slows down wrong-token guessing without ever standing in the owner's way. Only requests that present a wrong
 * token are counted (the caller never counts a missing token, a CORS preflight or the right token, and the
 * right token is never refused). A client address with {@code maxFailures} wrong tokens within the window is
 * refused further wrong tokens for a lockout that doubles with each repeat (one window, two, four, ... up to
 * an hour); and all addresses together are capped at {@code globalMaxFailures} per window the same way, so
 * many addresses cannot guess at many times the rate. Memory is bounded: only recently active clients are kept.
 */
final class FailureLimiter {

    private static final int MAX_CLIENTS = 4096;
    private static final long MAX_LOCKOUT_NANOS = Duration.ofHours(1).toNanos();
    static final String EVERYONE = "all addresses together";

    /** Failures inside the window, the end of the current lockout, and how many lockouts came before it. */
    private static final class Record {
        final Deque<Long> failures = new ArrayDeque<>();
        long lockedUntil = Long.MIN_VALUE;
        int strikes;
    }

    private final int maxFailures;
    private final int globalMaxFailures;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Record global = new Record();
    private final Map<String, Record> clients = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    FailureLimiter(int maxFailures, int globalMaxFailures, Duration window, LongSupplier nanoClock) {
        if (maxFailures < 1) throw new IllegalArgumentException("maxFailures must be at least 1");
        if (globalMaxFailures < maxFailures) throw new IllegalArgumentException("the global cap must be at least maxFailures");
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        this.maxFailures = maxFailures;
        this.globalMaxFailures = globalMaxFailures;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Per-address limit as given, and ten times that for all addresses together. */
    FailureLimiter(int maxFailures, Duration window) {
        this(maxFailures, 10 * maxFailures, window, System::nanoTime);
    }

    /** Seconds until a wrong token from {@code client} will be looked at again, or 0 when it may try now. */
    synchronized long retryAfterSeconds(String client) {
        long now = nanoClock.getAsLong();
        Record own = clients.get(client);
        long until = Math.max(global.lockedUntil, own == null ? Long.MIN_VALUE : own.lockedUntil);
        if (until <= now) return 0;
        return Math.max(1, (until - now + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * Counts one wrong token from {@code client}. When that starts a lockout, returns a line saying so (for the
     * audit log: the address and the counts, never the token); otherwise empty, so the audit is rate-limited too.
     */
    synchronized Optional<String> recordFailure(String client) {
        long now = nanoClock.getAsLong();
        Record own = clients.computeIfAbsent(client, c -> new Record());
        Optional<String> local = count(own, maxFailures, now, client);
        Optional<String> all = count(global, globalMaxFailures, now, EVERYONE);
        return all.isPresent() ? all : local;
    }

    private Optional<String> count(Record record, int limit, long now, String who) {
        if (now - record.lockedUntil > MAX_LOCKOUT_NANOS) record.strikes = 0; // quiet for long enough: start over
        while (!record.failures.isEmpty() && now - record.failures.peekFirst() >= windowNanos) record.failures.removeFirst();
        record.failures.addLast(now);
        if (record.failures.size() < limit) return Optional.empty();
        long lockout = Math.min(MAX_LOCKOUT_NANOS, windowNanos << Math.min(record.strikes, 20));
        record.strikes++;
        record.failures.clear();
        record.lockedUntil = now + lockout;
        return Optional.of(String.format("failed sign-in: %d wrong tokens from %s within %d s; their wrong tokens are refused for %d s",
                limit, who, windowNanos / 1_000_000_000L, lockout / 1_000_000_000L));
    }
}
