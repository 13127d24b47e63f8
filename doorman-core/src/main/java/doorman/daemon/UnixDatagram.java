package doorman.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Sends one datagram to a Unix socket through libc (JNA): Java 17's DatagramChannel has no Unix-domain support,
 * and systemd's notify socket is a datagram socket. Sending from this process (rather than forking
 * {@code systemd-notify}) lets systemd attribute the message to the service's main PID, so the unit can keep
 * {@code NotifyAccess=main}. Linux only: the constants below are Linux's.
 */
final class UnixDatagram {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int SUN_PATH_MAX = 108;

    private UnixDatagram() {
    }

    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] message, NativeLong length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    static void send(String socketPath, byte[] message) throws IOException {
        byte[] address = address(socketPath);
        LibC libc;
        try {
            libc = Holder.LIBC;
        } catch (LinkageError e) {
            throw new IOException("cannot load libc through JNA: " + e.getMessage(), e);
        }
        int fd;
        try {
            fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + e.getErrorCode(), e);
        }
        try {
            long sent = libc.sendto(fd, message, new NativeLong(message.length), MSG_NOSIGNAL, address, address.length).longValue();
            if (sent != message.length) throw new IOException("sent " + sent + " of " + message.length + " bytes to " + socketPath);
        } catch (LastErrorException e) {
            throw new IOException("sendto " + socketPath + " failed: errno " + e.getErrorCode(), e);
        } finally {
            try {
                libc.close(fd);
            } catch (LastErrorException ignored) {
                // nothing useful to do about a failed close of a socket we only sent on
            }
        }
    }

    /**
     * A {@code struct sockaddr_un}: the family in native byte order, then the path. A leading '@' names an
     * abstract socket, written with a leading NUL and no terminator.
     */
    static byte[] address(String socketPath) throws IOException {
        boolean abstractName = socketPath.startsWith("@");
        byte[] path = (abstractName ? socketPath.substring(1) : socketPath).getBytes(StandardCharsets.UTF_8);
        int pathBytes = path.length + 1; // the leading NUL of an abstract name, or the terminating NUL of a file path
        if (path.length == 0 || pathBytes > SUN_PATH_MAX)
            throw new IOException("unusable unix socket path '" + socketPath + "' (1 to " + (SUN_PATH_MAX - 1) + " bytes)");
        ByteBuffer b = ByteBuffer.allocate(2 + pathBytes).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) b.put((byte) 0).put(path);
        else b.put(path).put((byte) 0);
        return b.array();
    }
}
