package doorman.camera;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** This machine has no camera: these check that a missing or wrong device is a clear error, not a crash. */
class V4l2SourceTest {

    @Test
    void aMissingDevicePathIsAClearCameraException() {
        CameraException e = assertThrows(CameraException.class, () -> new V4l2Source("/dev/video97", 640, 480, 15));
        assertTrue(e.getMessage().contains("/dev/video97 does not exist"), e.getMessage());
    }

    @Test
    void aBareIndexNamesTheMatchingDevice() {
        CameraException e = assertThrows(CameraException.class, () -> new V4l2Source("98", 640, 480, 15));
        assertTrue(e.getMessage().contains("/dev/video98 does not exist"), e.getMessage());
    }

    @Test
    void aPathThatIsNotACameraCannotBeOpened() {
        CameraException e = assertThrows(CameraException.class, () -> new V4l2Source("/dev/null", 640, 480, 15));
        assertTrue(e.getMessage().contains("could not be opened"), e.getMessage());
    }
}
