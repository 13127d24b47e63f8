package doorman.camera;

/** Loads OpenCV's bundled native library once per JVM, before the first use of any Mat (camera decoding, vision, the lab). */
public final class OpenCv {

    private OpenCv() {
    }

    /** Safe to call from anywhere, any number of times; only the first call does the work. */
    public static void load() {
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
