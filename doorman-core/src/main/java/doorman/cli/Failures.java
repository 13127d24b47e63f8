package doorman.cli;

import doorman.config.ConfigException;
import doorman.gallery.GalleryException;
import doorman.models.ModelFiles;
import doorman.tflite.TfliteException;
import doorman.vision.ImageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** Turns what went wrong into one line for the user and an exit code (see {@link Doorman}). */
public final class Failures {

    private Failures() {}

    public static int exitCode(Throwable e) {
        if (e instanceof UserError u) return u.exitCode();
        // a config file with a wrong key or value is input the user gave, like a bad photo
        if (e instanceof ImageException || e instanceof IllegalArgumentException || e instanceof ConfigException) return Doorman.BAD_INPUT;
        if (e instanceof GalleryException) return Doorman.STORE;
        if (e instanceof NoSuchFileException || e instanceof java.nio.file.FileAlreadyExistsException) return Doorman.BAD_INPUT;
        return Doorman.FAILURE;
    }

    public static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) return "no such file: " + n.getFile();
        if (e instanceof java.nio.file.FileAlreadyExistsException f)
            return f.getFile() + " exists and is not a folder (check data-dir and the paths given)";
        if (e instanceof java.nio.file.AccessDeniedException a) return "permission denied: " + a.getFile();
        if (e instanceof UncheckedIOException u) return message(u.getCause());
        if (e instanceof IOException io) return "I/O error: " + io.getMessage();
        if (e instanceof ModelFiles.MissingModelException || e instanceof TfliteException) return e.getMessage();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** A failure already phrased for the user, with its exit code. */
    public static final class UserError extends RuntimeException {
        private final int exitCode;

        public UserError(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    public static UserError badInput(String message) {
        return new UserError(Doorman.BAD_INPUT, message);
    }
}
