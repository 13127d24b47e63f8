package doorman.camera;

/** Loads OpenCV's bundled native library once, before any camera class touches a Mat. */
final class OpenCvNative {

    private OpenCvNative() {
    }

    static void load() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            nu.pattern.OpenCV.loadLocally();
        }

        static void touch() {
        }
    }
}
