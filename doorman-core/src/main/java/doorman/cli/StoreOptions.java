package doorman.cli;

import doorman.audit.AdminAudit;
import doorman.audit.AuditLog;
import doorman.config.AuditConfig;
import doorman.gallery.Gallery;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

/** Where the gallery lives: --data, else $DOORMAN_DATA, else ~/.local/share/doorman. */
final class StoreOptions {

    @Option(names = "--data", description = "Data directory (default: $DOORMAN_DATA or ~/.local/share/doorman).")
    Path data;

    Path dataDir() {
        if (data != null) return data;
        String env = System.getenv("DOORMAN_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".local", "share", "doorman");
    }

    Gallery open() {
        return Gallery.open(dataDir());
    }

    /**
     * Audits a change made from the command line, in the data directory's audit.db (the open gallery's lock
     * keeps the daemon out meanwhile). Retention is the widest allowed, so the CLI never prunes what the
     * daemon's configuration keeps.
     */
    void audit(Long personId, String personName, String what) {
        try (AuditLog log = AuditLog.open(dataDir(), new AuditConfig(3650, 10_000_000), Clock.systemUTC())) {
            new AdminAudit(log, Clock.systemUTC()).record(personId, personName, what + " (command line, user "
                    + System.getProperty("user.name") + ")");
        } catch (RuntimeException e) {
            throw new Failures.UserError(Doorman.STORE, "the change was made but could not be audited: "
                    + doorman.gallery.DataDirectory.describe(e));
        }
    }
}
