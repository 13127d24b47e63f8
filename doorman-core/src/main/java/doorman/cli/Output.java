package doorman.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.Map;

/** Prints a result as a human line or, with --json, as one JSON object. */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Output() {}

    public static void print(PrintWriter out, boolean json, Map<String, ?> fields, String human) {
        if (json) {
            try {
                out.println(JSON.writeValueAsString(fields));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(human);
        }
        out.flush();
    }

    public static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
