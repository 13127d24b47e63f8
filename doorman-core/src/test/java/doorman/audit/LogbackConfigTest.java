package doorman.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LogbackConfigTest {

    @Test
    void journalPatternOnlyUnderSystemd() {
        assertEquals(LogPattern.JOURNAL, LogPattern.forEnvironment(Map.of("JOURNAL_STREAM", "8:12345")));
        assertEquals(LogPattern.CONSOLE, LogPattern.forEnvironment(Map.of()));
        assertEquals(LogPattern.CONSOLE, LogPattern.forEnvironment(Map.of("JOURNAL_STREAM", "")));
    }

    @Test
    void logbackXmlLoadsCleanlyAndLaysOutBothPatterns() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        StatusUtil status = new StatusUtil(context);
        assertTrue(status.getHighestLevel(0) < Status.WARN, "logback.xml has problems: " + context.getStatusManager().getCopyOfStatusList());

        LoggingEvent event = new LoggingEvent("x", context.getLogger("doorman.audit"), Level.WARN, "action=UNLOCK", null, null);
        var appender = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("CONSOLE");
        String consoleLine = ((PatternLayoutEncoder) appender.getEncoder()).getLayout().doLayout(event);
        String expected = System.getenv("JOURNAL_STREAM") == null ? "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[.*] doorman.audit - action=UNLOCK\\n$"
                : "^<4>WARN  doorman.audit - action=UNLOCK\\n$";
        assertTrue(consoleLine.matches(expected), consoleLine);

        PatternLayout journal = new PatternLayout();
        journal.setContext(context);
        journal.setPattern(LogPattern.JOURNAL);
        journal.start();
        assertEquals("<4>WARN  doorman.audit - action=UNLOCK\n", journal.doLayout(event));
        LoggingEvent info = new LoggingEvent("x", context.getLogger("doorman.lock.GpioLock"), Level.INFO, "released", null, null);
        assertEquals("<6>INFO  doorman.lock.GpioLock - released\n", journal.doLayout(info));
        assertEquals(Level.WARN, context.getLogger("com.pi4j").getLevel());
        context.stop();
    }
}
