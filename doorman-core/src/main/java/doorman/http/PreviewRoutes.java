package doorman.http;

import doorman.pictures.FacePictures;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.opencv.core.Mat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * GET /api/door/camera: a live view of the door camera while enrolling, as MJPEG (multipart/x-mixed-replace). It
 * shows the frames the door loop already reads (no second reader of the camera), shrunk to {@value #WIDTH} pixels
 * wide and at most {@value #FRAMES_PER_SECOND} a second however many watch: one encoding is shared by every stream.
 * A stream ends when its client goes (the next write fails), after {@value #MAX_STREAM_SECONDS} s, or when the
 * server stops; each holds a server thread, so at most {@value #MAX_STREAMS} run at once (429 beyond). 503 when
 * there is no camera ({@code doorman serve}) or it has sent no frame yet.
 */
final class PreviewRoutes implements Routes.Group, AutoCloseable {

    static final int WIDTH = 320;
    static final int FRAMES_PER_SECOND = 5;
    static final long FRAME_GAP_MS = 1000 / FRAMES_PER_SECOND;
    /** The same picture is sent again this often while the camera is silent, so a client that left is noticed. */
    static final long RESEND_MS = 2000;
    static final int MAX_STREAMS = 2;
    static final long MAX_STREAM_SECONDS = 600;
    static final String BOUNDARY = "doorman-frame";

    private final DoorCamera camera;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final Object latestLock = new Object();
    private volatile boolean closed;
    private byte[] latestJpeg;
    private long latestAt = Long.MIN_VALUE;

    /** {@code camera} null: no camera here ({@code doorman serve}). */
    PreviewRoutes(DoorCamera camera) {
        this.camera = camera;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("/api/door/camera", this::stream);
    }

    /** How many previews are being streamed now. */
    int openStreams() {
        return MAX_STREAMS - streams.availablePermits();
    }

    private void stream(Context ctx) throws InterruptedException {
        if (camera == null)
            throw new HttpResponseException(503, "no door camera here (doorman serve): run 'doorman run' to see the door");
        if (frame().isEmpty()) throw new HttpResponseException(503, "the door camera has sent no frame yet; try again in a moment");
        if (!streams.tryAcquire())
            throw new HttpResponseException(429, "already " + MAX_STREAMS + " live previews open; close one first");
        try {
            ctx.header("Cache-Control", "no-store");
            Pictures.binaryType(ctx, "multipart/x-mixed-replace; boundary=" + BOUNDARY);
            OutputStream out = ctx.res().getOutputStream();
            long end = System.nanoTime() + MAX_STREAM_SECONDS * 1_000_000_000L;
            byte[] sent = null;
            long sentAt = 0;
            while (!closed && System.nanoTime() < end) {
                Optional<byte[]> jpeg = frame();
                long now = System.nanoTime();
                if (jpeg.isPresent() && (jpeg.get() != sent || now - sentAt > RESEND_MS * 1_000_000L)) {
                    write(out, jpeg.get());
                    sent = jpeg.get();
                    sentAt = now;
                }
                Thread.sleep(FRAME_GAP_MS);
            }
        } catch (IOException clientLeft) {
            // the viewer closed the panel or the page: the stream simply ends
        } finally {
            streams.release();
        }
    }

    private static void write(OutputStream out, byte[] jpeg) throws IOException {
        String head = "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The newest frame as a small JPEG, encoded at most once per frame gap for all streams together. */
    private Optional<byte[]> frame() {
        synchronized (latestLock) {
            long now = System.nanoTime();
            if (latestJpeg != null && now - latestAt < FRAME_GAP_MS * 1_000_000L) return Optional.of(latestJpeg);
            Optional<Mat> frame = camera.latestFrame();
            if (frame.isEmpty()) return Optional.ofNullable(latestJpeg);
            Mat image = frame.get();
            try {
                latestJpeg = FacePictures.preview(image, WIDTH);
                latestAt = now;
            } finally {
                image.release();
            }
            return Optional.of(latestJpeg);
        }
    }

    /** Ends every open stream within a frame gap (the server is stopping). */
    @Override
    public void close() {
        closed = true;
    }
}
