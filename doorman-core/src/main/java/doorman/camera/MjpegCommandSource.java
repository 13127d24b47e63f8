package doorman.camera;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Mat;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames from a command that writes MJPEG (concatenated JPEGs) to its standard output, for example
 * {@code rpicam-vid -t 0 --codec mjpeg -o -} on a Pi camera or {@code ffmpeg -i rtsp://... -f mjpeg -}.
 *
 * <p>Frames that do not decode are skipped and counted, never fatal. The command's standard error is logged
 * line by line (pass the command's own quiet flag, such as ffmpeg's {@code -loglevel error}, to keep it short)
 * and its last lines go into the exception when the command fails. Closing destroys the command and its
 * children.
 */
public final class MjpegCommandSource implements FrameSource {

    /** Far above a 4K MJPEG frame (a few MB), low enough that a runaway stream cannot exhaust memory. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(MjpegCommandSource.class);
    private static final int STDERR_LINES_KEPT = 5;
    private static final long EXIT_WAIT_SECONDS = 5;
    /** How long a closed command gets to exit on SIGTERM before it is killed. */
    static final Duration TERM_GRACE = Duration.ofMillis(250);
    private static final Duration KILL_WAIT = Duration.ofMillis(500);

    private final List<String> command;
    private final Process process;
    private final JpegStreamSplitter splitter;
    private final Thread stderrDrain;
    private final Deque<String> lastStderrLines = new ArrayDeque<>();
    private volatile boolean closed;
    private boolean ended;
    private CameraException failure;
    private long framesDecoded;
    private long undecodableFrames;

    /** Starts the command at once. */
    public MjpegCommandSource(List<String> command) {
        this(command, DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * Starts the command at once; a JPEG larger than {@code maxFrameBytes} is dropped as corrupt.
     *
     * @throws CameraException if the command cannot be started
     */
    public MjpegCommandSource(List<String> command, int maxFrameBytes) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty capture command");
        OpenCv.load();
        this.command = List.copyOf(command);
        try {
            process = new ProcessBuilder(this.command).start();
        } catch (IOException e) {
            throw new CameraException("cannot start capture command " + this.command + ": " + e.getMessage(), e);
        }
        closeQuietly(process.getOutputStream()); // the child gets no input; ffmpeg would otherwise wait on it
        splitter = new JpegStreamSplitter(process.getInputStream(), maxFrameBytes);
        stderrDrain = new Thread(this::drainStderr, "mjpeg-stderr-" + process.pid());
        stderrDrain.setDaemon(true);
        stderrDrain.start();
        log.info("started {} (pid {})", this.command, process.pid());
    }

    @Override
    public Optional<Mat> next() {
        while (!closed) {
            byte[] jpeg;
            try {
                jpeg = splitter.nextFrame();
            } catch (IOException e) {
                if (closed) break;
                throw new CameraException("reading from " + command + " failed: " + e.getMessage(), e);
            }
            if (jpeg == null) return endOfStream();
            String refused;
            try {
                // the uploads' byte and pixel limits, checked on the header before OpenCV allocates anything
                Mat image = ImageDecoder.decode(jpeg, ImageDecoder.Limits.DEFAULT);
                framesDecoded++;
                return Optional.of(image);
            } catch (ImageException e) {
                refused = e.getMessage();
            }
            undecodableFrames++;
            log.warn("skipped a JPEG frame of {} bytes from {}: {} ({} so far)", jpeg.length, command, refused,
                    corruptFrames());
        }
        return Optional.empty();
    }

    /** Frames returned so far. */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** Frames skipped: malformed, oversized, cut off, or rejected by the JPEG decoder. */
    public long corruptFrames() {
        return undecodableFrames + splitter.droppedFrames();
    }

    @Override
    public String describe() {
        return "mjpeg command " + String.join(" ", command);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            // a stop must not wait on a command that ignores SIGTERM: a short grace, then SIGKILL
            if (!process.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        closeQuietly(process.getInputStream());
        log.info("stopped {} after {} frames ({} corrupt)", command, framesDecoded, corruptFrames());
    }

    /** End of the byte stream: normal if the command exited with 0, a failure otherwise (every time asked). */
    private Optional<Mat> endOfStream() {
        if (closed) return Optional.empty();
        if (!ended) {
            ended = true;
            failure = exitFailure();
        }
        if (failure != null) throw failure;
        return Optional.empty();
    }

    private CameraException exitFailure() {
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return new CameraException(command + " closed its output but is still running");
            }
            stderrDrain.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CameraException("interrupted while waiting for " + command + " to exit", e);
        }
        int exit = process.exitValue();
        if (exit == 0) {
            log.info("{} finished after {} frames", command, framesDecoded);
            return null;
        }
        String stderr;
        synchronized (lastStderrLines) {
            stderr = lastStderrLines.isEmpty() ? "" : "; last output: " + String.join(" | ", lastStderrLines);
        }
        return new CameraException(command + " exited with code " + exit + stderr);
    }

    private void drainStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) continue;
                log.info("[{}] {}", command.get(0), line);
                synchronized (lastStderrLines) {
                    if (lastStderrLines.size() == STDERR_LINES_KEPT) lastStderrLines.removeFirst();
                    lastStderrLines.addLast(line);
                }
            }
        } catch (IOException e) {
            if (!closed) log.debug("stderr of {} ended: {}", command, e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // nothing to recover: the stream belongs to a process we are done with
        }
    }
}
