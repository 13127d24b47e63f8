package doorman.eval;

import java.io.IOException;
import java.nio.file.Path;

/** A pairs file that does not follow the LFW format; the message names the file and the line. */
public final class PairsFileException extends IOException {

    private final Path file;
    private final int line;

    public PairsFileException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number of the offending line. */
    public int line() {
        return line;
    }
}
