package doorman.http;

import io.javalin.http.HttpResponseException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The pace rule for request bodies, on a clock the test moves: no real waiting, no race. */
class BodyReaderTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final BodyReader reader = new BodyReader(now::get);

    @Test
    void aSmallBodyReadLongAfterItArrivedIsAccepted() {
        byte[] json = "{\"name\":\"Ada Lovelace\"}".getBytes();
        now.addAndGet(TimeUnit.HOURS.toNanos(1)); // the handler got round to the body an hour after it came
        assertArrayEquals(json, reader.read(new Paced(json, json.length, 0), 64 * 1024, json.length));
    }

    @Test
    void aSmallBodyWhoseBytesComeLateInTheGraceIsAccepted() {
        // Jetty's rate (4096 B/s from the first byte) wanted 40 960 bytes after 10 s, so failed these 30
        byte[] body = new byte[30];
        assertArrayEquals(body, reader.read(new Paced(body, 30, TimeUnit.MILLISECONDS.toNanos(10_004)), 1024, 30));
    }

    @Test
    void theRestOfARefusedBodyIsDroppedUpToTheAllowanceAndAtThePace() {
        assertTrue(reader.drain(new java.io.ByteArrayInputStream(new byte[300_000]), 1_000_000), "read to its end");
        assertFalse(reader.drain(new java.io.ByteArrayInputStream(new byte[300_000]), 100_000), "more than allowed");
        Paced dribble = new Paced(new byte[1_000_000], 1, TimeUnit.MILLISECONDS.toNanos(200));
        assertFalse(reader.drain(dribble, 1_000_000), "a dribble is not waited for");
        assertTrue(now.get() - 1_000_000_000L < TimeUnit.SECONDS.toNanos(11));
    }

    @Test
    void aDribbleIsEndedSoonAfterTheGrace() {
        Paced dribble = new Paced(new byte[1_000_000], 1, TimeUnit.MILLISECONDS.toNanos(200)); // 5 bytes a second
        long start = now.get();
        HttpResponseException e = assertThrows(HttpResponseException.class, () -> reader.read(dribble, 2_000_000, 1_000_000));
        assertEquals(408, e.getStatus());
        long endedAfterMs = TimeUnit.NANOSECONDS.toMillis(now.get() - start);
        assertTrue(endedAfterMs > 10_000 && endedAfterMs <= 10_400, "ended after " + endedAfterMs + " ms");
        assertTrue(dribble.served < 60, "read " + dribble.served + " bytes");
    }

    @Test
    void aSteadySlowUploadAboveTheRateIsAccepted() {
        byte[] photo = new byte[1_000_000];
        new java.util.Random(7).nextBytes(photo);
        Paced slow = new Paced(photo, 5 * 1024, TimeUnit.SECONDS.toNanos(1)); // 5 KB/s: over three minutes
        assertArrayEquals(photo, reader.read(slow, 25L * 1024 * 1024, photo.length));
        assertTrue(now.get() > TimeUnit.SECONDS.toNanos(190), "the upload took simulated minutes");
    }

    @Test
    void anUploadThatStopsHalfWayForTooLongIsEnded() {
        byte[] body = new byte[400_000];
        InputStream stalls = new InputStream() {
            int served;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served == body.length) return -1;
                // 100 KB at once, then nothing for two minutes, then the rest
                now.addAndGet(TimeUnit.SECONDS.toNanos(served == 100_000 ? 120 : 0));
                int n = Math.min(len, served < 100_000 ? 100_000 - served : body.length - served);
                served += n;
                return n;
            }
        };
        assertEquals(408, assertThrows(HttpResponseException.class, () -> reader.read(stalls, 1_000_000, -1)).getStatus());
    }

    @Test
    void bodiesPastTheLimitAreRefusedWithOrWithoutADeclaredLength() {
        byte[] body = new byte[5000];
        assertEquals(413, assertThrows(HttpResponseException.class, () -> reader.read(new Paced(body, 700, 0), 4999, -1)).getStatus());
        assertEquals(413, assertThrows(HttpResponseException.class, () -> reader.read(new Paced(body, 5000, 0), 4999, 10)).getStatus());
        assertEquals(4999, reader.read(new Paced(Arrays.copyOf(body, 4999), 700, 0), 4999, -1).length);
    }

    @Test
    void aReadTimeoutIsSlowAndAnyOtherBreakIsABadRequest() {
        assertEquals(408, assertThrows(HttpResponseException.class,
                () -> reader.read(failing(new IOException(new TimeoutException("Idle timeout expired"))), 100, 10)).getStatus());
        assertEquals(400, assertThrows(HttpResponseException.class,
                () -> reader.read(failing(new java.io.EOFException("early EOF")), 100, 10)).getStatus());
    }

    @Test
    void theRuleAsNumbers() {
        long s = TimeUnit.SECONDS.toNanos(1);
        assertFalse(BodyReader.fallenBehind(0, 10 * s), "nothing is owed during the grace");
        assertFalse(BodyReader.fallenBehind(4096, 11 * s));
        assertTrue(BodyReader.fallenBehind(4095, 11 * s));
        assertFalse(BodyReader.fallenBehind(25L * 1024 * 1024, 3000 * s), "25 MB at 4 KB/s after the grace");
    }

    private static InputStream failing(IOException failure) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw failure;
            }
        };
    }

    /** Serves {@code body} at most {@code perRead} bytes a read, each read first moving the clock by {@code nanosPerRead}. */
    private final class Paced extends InputStream {
        private final byte[] body;
        private final int perRead;
        private final long nanosPerRead;
        int served;

        Paced(byte[] body, int perRead, long nanosPerRead) {
            this.body = body;
            this.perRead = perRead;
            this.nanosPerRead = nanosPerRead;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the reader reads in blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (served == body.length) return -1;
            now.addAndGet(nanosPerRead);
            int n = Math.min(len, Math.min(perRead, body.length - served));
            System.arraycopy(body, served, b, off, n);
            served += n;
            return n;
        }
    }
}
