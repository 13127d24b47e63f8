package doorman.camera;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * Frames from a Video4Linux2 camera (USB webcam, or a Pi camera exposed through a V4L2 driver) via OpenCV.
 * A failed read means the camera stopped answering and throws; wrap in a {@link ReconnectingSource} to survive
 * a replugged cable.
 */
public final class V4l2Source implements FrameSource {

    private final String device;
    private final int width, height;
    private final double fps;
    private final VideoCapture capture;

    /**
     * Opens the camera at once and asks for the given size and rate (the driver may choose the nearest it has;
     * {@link #describe()} reports what it chose).
     *
     * @param device a device path such as {@code /dev/video0}, or a bare index such as {@code 0}
     * @throws CameraException if the device does not exist or cannot be opened
     */
    public V4l2Source(String device, int width, int height, double fps) {
        if (width <= 0 || height <= 0 || fps <= 0) {
            throw new IllegalArgumentException("size and fps must be positive, got " + width + "x" + height
                    + "@" + fps);
        }
        OpenCv.load();
        this.device = device;
        Integer index = parseIndex(device);
        Path path = Path.of(index == null ? device : "/dev/video" + index);
        if (!Files.exists(path)) {
            throw new CameraException("camera " + path + " does not exist (is it plugged in, and is the V4L2 "
                    + "driver loaded? `ls /dev/video*` lists the cameras)");
        }
        capture = index == null ? new VideoCapture(device, Videoio.CAP_V4L2) : new VideoCapture(index,
                Videoio.CAP_V4L2);
        if (!capture.isOpened()) {
            capture.release();
            throw new CameraException("camera " + path + " exists but could not be opened as a V4L2 capture "
                    + "device (another program using it, no permission (video group), or not a camera)");
        }
        capture.set(Videoio.CAP_PROP_FRAME_WIDTH, width);
        capture.set(Videoio.CAP_PROP_FRAME_HEIGHT, height);
        capture.set(Videoio.CAP_PROP_FPS, fps);
        // keep one buffered frame: a door camera wants the newest frame, not a queue of stale ones
        capture.set(Videoio.CAP_PROP_BUFFERSIZE, 1);
        this.width = (int) capture.get(Videoio.CAP_PROP_FRAME_WIDTH);
        this.height = (int) capture.get(Videoio.CAP_PROP_FRAME_HEIGHT);
        this.fps = capture.get(Videoio.CAP_PROP_FPS);
    }

    @Override
    public Optional<Mat> next() {
        Mat frame = new Mat();
        boolean ok;
        try {
            ok = capture.read(frame) && !frame.empty();
        } catch (RuntimeException e) {
            frame.release();
            throw new CameraException("reading camera " + device + " failed: " + e.getMessage(), e);
        }
        if (!ok) {
            frame.release();
            throw new CameraException("camera " + device + " returned no frame (unplugged or stalled)");
        }
        return Optional.of(frame);
    }

    @Override
    public String describe() {
        return "v4l2 " + device + " " + width + "x" + height + "@" + Math.round(fps);
    }

    @Override
    public void close() {
        capture.release();
    }

    private static Integer parseIndex(String device) {
        if (device.isEmpty() || !device.chars().allMatch(Character::isDigit)) return null;
        return Integer.valueOf(device);
    }
}
