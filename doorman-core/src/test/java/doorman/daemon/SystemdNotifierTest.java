package doorman.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Plays systemd: binds a real Unix datagram socket and reads what the notifier sends to it. */
class SystemdNotifierTest {

    interface Receiver extends Library {
        Receiver C = Native.load("c", Receiver.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

        int close(int fd);
    }

    static final int MSG_DONTWAIT = 0x40;
    static final long PID = ProcessHandle.current().pid();

    /** A bound datagram socket standing in for systemd's notify socket. */
    static final class FakeSystemd implements AutoCloseable {
        final int fd;

        FakeSystemd(String path) throws Exception {
            fd = Receiver.C.socket(UnixDatagram.AF_UNIX, UnixDatagram.SOCK_DGRAM, 0);
            byte[] address = UnixDatagram.address(path);
            Receiver.C.bind(fd, address, address.length);
        }

        /** Every datagram waiting now. */
        List<String> received() {
            List<String> out = new ArrayList<>();
            byte[] buffer = new byte[4096];
            long n;
            while ((n = Receiver.C.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT).longValue()) >= 0)
                out.add(new String(buffer, 0, (int) n, StandardCharsets.UTF_8));
            return out;
        }

        @Override
        public void close() {
            Receiver.C.close(fd);
        }
    }

    @Test
    void sendsTheLifecycleToTheNotifySocket(@TempDir Path dir) throws Exception {
        String path = dir.resolve("notify").toString();
        try (FakeSystemd systemd = new FakeSystemd(path)) {
            SystemdNotifier notifier = new SystemdNotifier(Map.of("NOTIFY_SOCKET", path), PID);
            assertTrue(notifier.enabled());
            notifier.ready();
            notifier.status("watching the door\nsecond line");
            notifier.watchdog();
            notifier.stopping();
            assertEquals(List.of("READY=1", "STATUS=watching the door second line", "WATCHDOG=1", "STOPPING=1"), systemd.received());
        }
    }

    @Test
    void abstractSocketNamesWork() throws Exception {
        String name = "@doorman-notify-test-" + PID;
        try (FakeSystemd systemd = new FakeSystemd(name)) {
            new SystemdNotifier(Map.of("NOTIFY_SOCKET", name), PID).ready();
            assertEquals(List.of("READY=1"), systemd.received());
        }
    }

    @Test
    void withoutNotifySocketEverythingIsANoOp() {
        SystemdNotifier notifier = new SystemdNotifier(Map.of(), PID);
        assertFalse(notifier.enabled());
        assertEquals(Optional.empty(), notifier.watchdogInterval());
        notifier.ready();
        notifier.watchdogIfDue();
        notifier.stopping();
    }

    @Test
    void aMissingSocketIsLoggedNotThrown(@TempDir Path dir) {
        SystemdNotifier notifier = new SystemdNotifier(Map.of("NOTIFY_SOCKET", dir.resolve("gone").toString()), PID);
        assertDoesNotThrow(notifier::ready);
    }

    @Test
    void watchdogIntervalComesFromWatchdogUsecForThisProcessOnly() {
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                new SystemdNotifier(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "30000000"), PID).watchdogInterval());
        assertEquals(Optional.of(Duration.ofSeconds(30)), new SystemdNotifier(
                Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(PID)), PID).watchdogInterval());
        assertEquals(Optional.empty(), new SystemdNotifier(
                Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1"), PID).watchdogInterval());
        assertEquals(Optional.empty(), new SystemdNotifier(Map.of("WATCHDOG_USEC", "soon"), PID).watchdogInterval());
        assertEquals(Optional.empty(), new SystemdNotifier(Map.of("WATCHDOG_USEC", "0"), PID).watchdogInterval());
    }

    @Test
    void watchdogIfDuePingsAtHalfTheInterval(@TempDir Path dir) throws Exception {
        String path = dir.resolve("notify").toString();
        try (FakeSystemd systemd = new FakeSystemd(path)) {
            long[] nanos = {0};
            SystemdNotifier notifier = new SystemdNotifier(Map.of("NOTIFY_SOCKET", path, "WATCHDOG_USEC", "400000"), PID,
                    () -> nanos[0]);
            notifier.watchdogIfDue();
            notifier.watchdogIfDue();
            nanos[0] = Duration.ofMillis(199).toNanos();
            notifier.watchdogIfDue();
            assertEquals(List.of("WATCHDOG=1"), systemd.received(), "one ping, then quiet until half the interval");
            nanos[0] = Duration.ofMillis(200).toNanos();
            notifier.watchdogIfDue();
            notifier.watchdogIfDue();
            assertEquals(List.of("WATCHDOG=1"), systemd.received(), "the next ping at half the interval, once");
        }
    }

    @Test
    void overlongSocketPathsAreRefused() {
        assertThrows(java.io.IOException.class, () -> UnixDatagram.address("/" + "x".repeat(120)));
        assertThrows(java.io.IOException.class, () -> UnixDatagram.address("@"));
    }
}
