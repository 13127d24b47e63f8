package doorman.audit;

import ch.qos.logback.core.PropertyDefinerBase;

import java.util.Map;

/**
 * Chooses the log line layout for {@code logback.xml}: under systemd (JOURNAL_STREAM is set when stdout goes to
 * the journal) lines carry a syslog priority prefix such as {@code <6>}, which journald turns into the entry's
 * priority, and no timestamp, which journald adds; elsewhere lines start with a timestamp.
 */
public class LogPattern extends PropertyDefinerBase {

    static final String JOURNAL = "<%journalPriority>%-5level %logger{30} - %msg%n";
    static final String CONSOLE = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";

    @Override
    public String getPropertyValue() {
        return forEnvironment(System.getenv());
    }

    static String forEnvironment(Map<String, String> env) {
        String stream = env.get("JOURNAL_STREAM");
        return stream != null && !stream.isBlank() ? JOURNAL : CONSOLE;
    }
}
