package doorman.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %journalPriority}: the syslog priority of a log level (3 error, 4 warning, 6 info, 7 debug). */
public class JournalPriorityConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return priority(event.getLevel());
    }

    static String priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) return "3";
        if (level.isGreaterOrEqual(Level.WARN)) return "4";
        if (level.isGreaterOrEqual(Level.INFO)) return "6";
        return "7";
    }
}
