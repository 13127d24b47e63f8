package doorman.cli;

import doorman.vision.ImageException;

import java.nio.file.Path;

/**
 * A photo named as the user typed it: its bytes, or why it could not be read. Read on the caller's side (the
 * daemon may not see the caller's files), with the uploads' size limit.
 */
public record Photo(String label, byte[] bytes, String unreadable) {

    static Photo read(Path file) {
        try {
            return new Photo(file.toString(), Images.readBounded(file), null);
        } catch (Failures.UserError | ImageException e) {
            return new Photo(file.toString(), new byte[0], Failures.message(e));
        }
    }

    /** The bytes, or the read failure as the bad input it is. */
    byte[] require() {
        if (unreadable != null) throw Failures.badInput(unreadable);
        return bytes;
    }
}
