package doorman.lock;

import doorman.config.ConfigException;
import doorman.config.DoormanConfig;

import java.nio.file.Path;

/**
 * Drives the configured relay released and exits: the systemd unit runs it after the daemon stops (ExecStopPost),
 * so even a daemon killed with SIGKILL, whose shutdown hook never ran, leaves the door locked.
 * Usage: {@code ReleaseLock <doorman.yaml>}.
 */
public final class ReleaseLock {

    private ReleaseLock() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ReleaseLock <doorman.yaml>");
            System.exit(2);
        }
        try {
            DoormanConfig config = DoormanConfig.load(Path.of(args[0]));
            // opening a lock drives it released; closing keeps it released
            try (LockActuator lock = LockActuator.open(config.lock())) {
                System.out.println("door relay released (" + config.lock().type().name().toLowerCase().replace('_', '-')
                        + ", line " + config.lock().line() + ")");
            }
        } catch (ConfigException | LockUnavailableException e) {
            System.err.println("doorman: " + e.getMessage());
            System.exit(1);
        }
    }
}
