package doorman.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What a gallery command answered, wherever it was computed (here on the store, or by the running daemon): lines
 * for stderr first ({@code notes}, e.g. warnings or refused photos), then either the result ({@code fields} for
 * --json, {@code human} otherwise) or an error message. Printing it is the same code on both paths, so the
 * output and the exit code are too.
 */
public record Answer(int exit, Map<String, Object> fields, String human, List<String> notes, String error) {

    public Answer {
        fields = fields == null ? Map.of() : fields;
        human = human == null ? "" : human;
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    static Answer of(int exit, Map<String, Object> fields, String human, List<String> notes) {
        return new Answer(exit, fields, human, notes, null);
    }

    static Answer failed(int exit, String error, List<String> notes) {
        return new Answer(exit, Map.of(), "", notes, error);
    }

    /** Prints the answer and returns its exit code; an error goes to the command line's one-line error handler. */
    int print(PrintWriter out, PrintWriter err, boolean json) {
        for (String note : notes) err.println("doorman: " + note);
        err.flush();
        if (error != null) throw new Failures.UserError(exit, error);
        Output.print(out, json, fields, human);
        return exit;
    }
}
