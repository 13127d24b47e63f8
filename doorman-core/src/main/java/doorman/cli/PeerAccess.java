package doorman.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may ask the running daemon to change or read the gallery over its socket, by the peer credentials the
 * kernel reports for the connection (SO_PEERCRED): the daemon's own user, root, and members of the daemon's
 * group (primary or listed in /etc/group). The socket file's mode (0660) says the same to the kernel; this is
 * the check that does not depend on the folder it lies in.
 *
 * @param daemonUser the user the daemon runs as
 * @param group      the group whose members pass (the daemon's: {@code doorman} under systemd)
 * @param members    the users /etc/group lists in {@code group}
 */
record PeerAccess(String daemonUser, String group, Set<String> members) {

    PeerAccess {
        members = Set.copyOf(members);
    }

    /** Empty when the peer may go on; else the one line it is told. */
    Optional<String> refusal(String peerUser, String peerGroup) {
        if (peerUser.equals(daemonUser) || peerUser.equals("root") || peerGroup.equals(group) || members.contains(peerUser))
            return Optional.empty();
        String users = daemonUser.equals("root") ? "root" : daemonUser + ", root";
        return Optional.of("user " + peerUser + " may not use the running door daemon: only " + users
                + " and members of group " + group + " may");
    }

    /** The daemon's user and group, with the group's members from {@code etcGroup} (unreadable: none listed). */
    static PeerAccess of(String daemonUser, String group, Path etcGroup) {
        Set<String> members = Set.of();
        try {
            for (String line : Files.readAllLines(etcGroup)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(group))
                    members = Arrays.stream(fields[3].split(",")).map(String::trim).filter(m -> !m.isEmpty())
                            .collect(Collectors.toSet());
            }
        } catch (IOException e) {
            // no list: the daemon's user, root and the group's primary members still pass
        }
        return new PeerAccess(daemonUser, group, members);
    }
}
