package doorman.camera;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a byte stream of concatenated JPEGs (MJPEG as written by rpicam-vid or ffmpeg) into single frames.
 *
 * <p>It walks the JPEG marker structure instead of just searching for the end marker, so an EXIF thumbnail
 * inside APP1 (which has its own start and end markers) cannot cut a frame short. Bytes outside a frame are
 * skipped. A frame that breaks the structure or grows past {@code maxFrameBytes} is dropped and counted, and
 * the splitter resynchronises on the next start-of-image marker, so garbage never grows memory.
 */
final class JpegStreamSplitter {

    private static final int MARKER = 0xFF;
    private static final int SOI = 0xD8, EOI = 0xD9, SOS = 0xDA, TEM = 0x01, RST0 = 0xD0, RST7 = 0xD7;
    private static final int STUFFED_ZERO = 0x00;

    private final InputStream in;
    private final int maxFrameBytes;
    private final byte[] readBuffer = new byte[64 * 1024];
    private int readPos, readEnd;

    private byte[] frame;
    private int frameLength;
    private boolean soiAlreadyRead;
    private long droppedFrames;
    private long skippedBytes;

    JpegStreamSplitter(InputStream in, int maxFrameBytes) {
        if (maxFrameBytes < 1024) throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        this.in = in;
        this.maxFrameBytes = maxFrameBytes;
        this.frame = new byte[Math.min(64 * 1024, maxFrameBytes)];
    }

    /** Frames that were malformed, oversized or cut off by the end of the stream. */
    long droppedFrames() {
        return droppedFrames;
    }

    /** Bytes seen between frames and thrown away. */
    long skippedBytes() {
        return skippedBytes;
    }

    /** The next structurally complete JPEG (from its SOI to its EOI, inclusive), or null at end of stream. */
    byte[] nextFrame() throws IOException {
        while (true) {
            if (!soiAlreadyRead && !seekStartOfImage()) return null;
            soiAlreadyRead = false;
            frameLength = 0;
            Outcome outcome;
            try {
                put(MARKER);
                put(SOI);
                outcome = readSegments();
            } catch (FrameTooLarge e) {
                outcome = Outcome.MALFORMED;
            }
            switch (outcome) {
                case COMPLETE:
                    return Arrays.copyOf(frame, frameLength);
                case END_OF_STREAM:
                    droppedFrames++;
                    return null;
                default:
                    droppedFrames++;
            }
        }
    }

    private enum Outcome { COMPLETE, MALFORMED, END_OF_STREAM }

    private static final class FrameTooLarge extends Exception {
        FrameTooLarge() {
            super(null, null, false, false);
        }
    }

    /** Skips bytes up to and including the next FF D8; false at end of stream. */
    private boolean seekStartOfImage() throws IOException {
        int previous = -1;
        while (true) {
            int b = read();
            if (b < 0) return false;
            if (previous == MARKER && b == SOI) {
                skippedBytes--; // the FF belonged to the marker, not to the garbage
                return true;
            }
            skippedBytes++;
            previous = b;
        }
    }

    /** Header segments after SOI; hands over to the entropy-coded scan after each SOS. */
    private Outcome readSegments() throws IOException, FrameTooLarge {
        while (true) {
            int b = read();
            if (b < 0) return Outcome.END_OF_STREAM;
            if (b != MARKER) return Outcome.MALFORMED;
            int marker = readMarkerCode();
            if (marker < 0) return Outcome.END_OF_STREAM;
            Outcome afterMarker = handleMarker(marker);
            if (afterMarker != null) return afterMarker;
        }
    }

    /**
     * Copies one marker and its segment; returns null to keep going or the frame's outcome. Progressive
     * JPEGs interleave several scans with table segments, which is why a scan can lead back here.
     */
    private Outcome handleMarker(int marker) throws IOException, FrameTooLarge {
        put(MARKER);
        put(marker);
        if (marker == EOI) return Outcome.COMPLETE;
        if (marker == SOI) {
            soiAlreadyRead = true; // a new image began before this one ended: start over from it
            return Outcome.MALFORMED;
        }
        if (marker == TEM || (marker >= RST0 && marker <= RST7)) return null;
        int high = read(), low = read();
        if (low < 0) return Outcome.END_OF_STREAM;
        int length = (high << 8) | low;
        if (length < 2) return Outcome.MALFORMED;
        put(high);
        put(low);
        if (!copy(length - 2)) return Outcome.END_OF_STREAM;
        return marker == SOS ? readScan() : null;
    }

    /** Entropy-coded data: FF 00 is a data byte, FF D0..D7 a restart; any other marker ends the scan. */
    private Outcome readScan() throws IOException, FrameTooLarge {
        while (true) {
            int b = read();
            if (b < 0) return Outcome.END_OF_STREAM;
            if (b != MARKER) {
                put(b);
                continue;
            }
            int marker = readMarkerCode();
            if (marker < 0) return Outcome.END_OF_STREAM;
            if (marker == STUFFED_ZERO || (marker >= RST0 && marker <= RST7)) {
                put(MARKER);
                put(marker);
                continue;
            }
            return handleMarker(marker);
        }
    }

    /** The byte after FF, skipping fill bytes (runs of FF are legal padding before a marker). */
    private int readMarkerCode() throws IOException {
        int code;
        do {
            code = read();
        } while (code == MARKER);
        return code;
    }

    private boolean copy(int count) throws IOException, FrameTooLarge {
        for (int i = 0; i < count; i++) {
            int b = read();
            if (b < 0) return false;
            put(b);
        }
        return true;
    }

    private void put(int b) throws FrameTooLarge {
        if (frameLength == frame.length) {
            if (frameLength >= maxFrameBytes) throw new FrameTooLarge();
            frame = Arrays.copyOf(frame, (int) Math.min(maxFrameBytes, 2L * frame.length));
        }
        frame[frameLength++] = (byte) b;
    }

    private int read() throws IOException {
        if (readPos == readEnd) {
            int n = in.read(readBuffer, 0, readBuffer.length);
            if (n <= 0) return -1;
            readPos = 0;
            readEnd = n;
        }
        return readBuffer[readPos++] & 0xFF;
    }
}
