package doorman.daemon;

import doorman.camera.FrameSource;
import doorman.camera.OpenCv;
import doorman.config.CameraConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The configured camera: a replay is played once unless it loops, and a video file is refused with the way out. */
class OpenSourceTest {

    @TempDir
    Path dir;

    private static CameraConfig replay(Path path, boolean loop) {
        return new CameraConfig(CameraConfig.Type.REPLAY, "/dev/video0", List.of(), path, loop, 60, 640, 480);
    }

    @Test
    void aReplayWithoutLoopEndsAfterItsLastFrame() {
        OpenCv.load();
        for (int i = 0; i < 3; i++) {
            Mat image = new Mat(8, 8, CvType.CV_8UC3, new Scalar(i * 40, 0, 0));
            Imgcodecs.imwrite(dir.resolve("frame" + i + ".png").toString(), image);
            image.release();
        }
        int frames = 0;
        try (FrameSource source = DoorDaemon.openSource(replay(dir, false))) {
            for (Optional<Mat> f = source.next(); f.isPresent(); f = source.next()) {
                f.get().release();
                frames++;
                assertTrue(frames <= 3, "loop: false must not start again");
            }
        }
        assertEquals(3, frames);
    }

    @Test
    void aVideoFileIsRefusedAtStartWithTheWayToPlayIt() throws IOException {
        Path video = Files.write(dir.resolve("door.mp4"), new byte[]{0, 0, 0, 24});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DoorDaemon.openSource(replay(video, false)));
        assertTrue(e.getMessage().contains("camera.type: command"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> DoorDaemon.openSource(replay(dir.resolve("missing"), false)));
    }
}
