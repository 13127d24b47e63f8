package doorman.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.HttpResponseException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Reads one request body up to a size limit and ends it when it falls behind a minimum pace.
 * <p>
 * The pace is judged on this body's own reads only: after each read, the bytes received so far must be at least
 * {@link #MIN_BYTES_PER_SECOND} times the time spent reading beyond {@link #GRACE_NANOS}. A body that is already
 * complete when it is read, however late the handler gets to it, passes at once; a slow but steady upload (a
 * 12 MB photo at 4 KB/s takes 50 minutes) passes; a dribble of a few bytes a second is ended soon after the grace
 * period. Jetty's own minimum data rate was dropped because it measures from the body's first byte, even for
 * a body that has long arrived, and so failed small requests whose handler ran a few milliseconds late.
 * A body that stops entirely blocks a read until Jetty's idle timeout, which is answered like falling behind.
 */
final class BodyReader {

    static final long MIN_BYTES_PER_SECOND = 4096;
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final String TOO_SLOW = "the body arrived too slowly; send it at once";
    private static final int CHUNK = 16 * 1024;
    /** The most allocated before any bytes arrive, so a declared length alone cannot claim memory. */
    private static final int FIRST_BUFFER_MAX = 256 * 1024;

    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests) */
    BodyReader(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * The whole body, at most {@code limit} bytes.
     *
     * @param expected the length the client declared, or -1; only sizes the first buffer
     * @throws ContentTooLargeResponse 413 when the body goes past {@code limit} (one byte more is read to see it,
     *                                 so a chunked body without a declared length is caught too)
     * @throws HttpResponseException   408 when the body falls behind the pace or stalls until the idle timeout
     * @throws BadRequestResponse      400 when the stream breaks off for another reason (the client hung up)
     */
    byte[] read(InputStream in, long limit, long expected) {
        long started = nanoTime.getAsLong();
        long cap = Math.min(Integer.MAX_VALUE - 8L, limit + 1);
        byte[] buffer = new byte[(int) Math.min(cap, expected >= 0 ? Math.min(expected + 1, FIRST_BUFFER_MAX) : CHUNK)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length >= cap) break;
                buffer = Arrays.copyOf(buffer, (int) Math.min(cap, Math.max(CHUNK, 2L * length)));
            }
            int n;
            try {
                n = in.read(buffer, length, buffer.length - length);
            } catch (IOException e) {
                throw timedOut(e) ? tooSlow() : new BadRequestResponse("could not read the body");
            } catch (org.eclipse.jetty.http.BadMessageException e) { // Jetty's own read timeout
                throw tooSlow();
            }
            if (n < 0) break;
            length += n;
            if (fallenBehind(length, nanoTime.getAsLong() - started)) throw tooSlow();
        }
        if (length > limit) throw new ContentTooLargeResponse("body larger than " + limit + " bytes");
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    /**
     * Reads and drops the rest of a body that is refused (413), at most {@code max} bytes and at the same pace, so a
     * client still sending it gets to read the answer instead of losing it to a reset. True when the body ended.
     */
    boolean drain(InputStream in, long max) {
        long started = nanoTime.getAsLong();
        byte[] sink = new byte[CHUNK];
        long dropped = 0;
        try {
            while (dropped <= max) {
                int n = in.read(sink);
                if (n < 0) return true;
                dropped += n;
                if (fallenBehind(dropped, nanoTime.getAsLong() - started)) return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The progress rule: after the grace period, at least the minimum rate over the time spent beyond it. */
    static boolean fallenBehind(long bytesRead, long elapsedNanos) {
        long beyondGrace = Math.max(0, elapsedNanos - GRACE_NANOS);
        // bytes * 1e9 >= rate * nanos, in doubles since either side may pass a long's range over a long read
        return (double) bytesRead * 1e9 < (double) MIN_BYTES_PER_SECOND * beyondGrace;
    }

    private static HttpResponseException tooSlow() {
        return new HttpResponseException(408, TOO_SLOW);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }
}
