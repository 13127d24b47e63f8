package doorman.cli;

import doorman.audit.AdminAudit;
import doorman.audit.AuditLog;
import doorman.config.AuditConfig;
import doorman.config.DoormanConfig;
import doorman.gallery.Gallery;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

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
     * The gallery commands: through the running daemon when one serves this data directory (it is then the store's
     * one writer), else on the store directly. {@code pipeline} is null for commands that look at no face.
     */
    GalleryService service(PipelineOptions pipeline) {
        if (pipeline != null) pipeline.options(); // a bad flag is refused before anything is opened
        Optional<DaemonClient> daemon = DaemonClient.find(dataDir());
        if (daemon.isPresent()) {
            if (pipeline != null && (pipeline.encoder != null || pipeline.detector != null || pipeline.flip)) {
                daemon.get().close();
                throw new Failures.UserError(Doorman.USAGE, "the running daemon answers with the door's own detector and "
                        + "encoder; leave out --encoder, --detector and --flip");
            }
            return daemon.get();
        }
        DoormanConfig settings = pipeline == null ? DoormanConfig.defaults() : pipeline.settings();
        ModelFiles models = pipeline == null ? ModelFiles.locate() : pipeline.modelFiles();
        Supplier<FacePipeline> opener = pipeline == null ? () -> {
            throw new IllegalStateException("this command looks at no face");
        } : pipeline::open;
        return new LocalGallery(open(), opener, true, settings, models, this::audit);
    }

    /**
     * Audits a change made from the command line, in the data directory's audit.db (the open gallery's lock
     * keeps the daemon out meanwhile). Retention is the widest allowed, so the CLI never prunes what the
     * daemon's configuration keeps.
     */
    void audit(Long personId, String personName, String what) {
        try (AuditLog log = AuditLog.open(dataDir(), new AuditConfig(3650, 10_000_000), Clock.systemUTC())) {
            new AdminAudit(log, Clock.systemUTC()).record(personId, personName,
                    LocalGallery.byCommandLine(what, System.getProperty("user.name")));
        } catch (RuntimeException e) {
            throw new Failures.UserError(Doorman.STORE, "the change was made but could not be audited: "
                    + doorman.gallery.DataDirectory.describe(e));
        }
    }
}
