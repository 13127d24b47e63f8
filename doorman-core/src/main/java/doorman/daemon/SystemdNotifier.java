package doorman.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.Optional;

/**
 * Tells systemd how the daemon is doing (sd_notify): READY=1 once serving, WATCHDOG=1 while the frame loop is
 * alive, STOPPING=1 on the way out. Does nothing when NOTIFY_SOCKET is unset, i.e. outside a Type=notify unit.
 * Sending failures are logged, never thrown: systemd's own timeouts then act (a missed READY fails the start,
 * missed WATCHDOGs restart the service).
 *
 * <p>Call {@link #watchdogIfDue()} from the frame loop itself, not from a timer: then a stuck loop stops the pings
 * and systemd restarts the daemon after WatchdogSec.
 */
public final class SystemdNotifier {

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String socket;
    private final Duration watchdogInterval;
    private final LongSupplier nanoClock;
    private long lastPingNanos;
    private boolean pinged;

    SystemdNotifier(Map<String, String> environment, long pid) {
        this(environment, pid, System::nanoTime);
    }

    /** For tests: a monotonic clock in nanoseconds that the test moves. */
    SystemdNotifier(Map<String, String> environment, long pid, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        String s = environment.get("NOTIFY_SOCKET");
        this.socket = s == null || s.isBlank() ? null : s;
        this.watchdogInterval = watchdog(environment, pid);
    }

    /** Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from this process's environment. */
    public static SystemdNotifier fromEnvironment() {
        return new SystemdNotifier(System.getenv(), ProcessHandle.current().pid());
    }

    /** Whether systemd is listening (NOTIFY_SOCKET is set). */
    public boolean enabled() {
        return socket != null;
    }

    /** WatchdogSec of the unit, when systemd expects pings from this process. */
    public Optional<Duration> watchdogInterval() {
        return Optional.ofNullable(watchdogInterval);
    }

    public void ready() {
        send("READY=1");
    }

    public void stopping() {
        send("STOPPING=1");
    }

    /** A one-line status shown by {@code systemctl status}. */
    public void status(String text) {
        send("STATUS=" + text.replace('\n', ' '));
    }

    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** Pings the watchdog if half its interval has passed since the last ping; cheap enough to call every frame. */
    public synchronized void watchdogIfDue() {
        if (watchdogInterval == null || socket == null) return;
        long now = nanoClock.getAsLong();
        if (pinged && now - lastPingNanos < watchdogInterval.toNanos() / 2) return;
        pinged = true;
        lastPingNanos = now;
        watchdog();
    }

    private void send(String message) {
        if (socket == null) return;
        try {
            UnixDatagram.send(socket, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("could not notify systemd ({}): {}", message, e.getMessage());
        }
    }

    private static Duration watchdog(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC"), forPid = env.get("WATCHDOG_PID");
        if (usec == null) return null;
        try {
            if (forPid != null && Long.parseLong(forPid.trim()) != pid) return null; // meant for another process
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Duration.ofNanos(micros * 1000) : null;
        } catch (NumberFormatException e) {
            log.warn("ignoring unreadable WATCHDOG_USEC={} / WATCHDOG_PID={}", usec, forPid);
            return null;
        }
    }
}
