package doorman.cli;

import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.DoorSettings;
import doorman.models.ModelFiles;
import picocli.CommandLine.Option;

/** The door's setting for commands that answer as the door would (identify, verify --as, people). */
public final class DoorOptions {

    @Option(names = "--stranger-accept", defaultValue = "1e-4",
            description = "Share of strangers' visits the door may let in, as match.stranger-accept-per-visit in the daemon's config. Default: ${DEFAULT-VALUE}.")
    double strangerAccept;

    /** The stranger accept per visit asked for, checked. */
    public double strangerAccept() {
        if (!(strangerAccept > 0 && strangerAccept < 1))
            throw new Failures.UserError(Doorman.USAGE, "--stranger-accept must be in (0, 1), got " + strangerAccept);
        return strangerAccept;
    }

    /** The door's decision over the gallery's current people, as the daemon would build it. */
    public DoorDecision decision(ModelFiles models, Calibration calibration, Gallery gallery) {
        return decision(models, calibration, gallery, strangerAccept());
    }

    static DoorDecision decision(ModelFiles models, Calibration calibration, Gallery gallery, double strangerAccept) {
        DoorSettings settings;
        try {
            settings = DoorSettings.load(models.dir(), calibration, strangerAccept);
        } catch (IllegalStateException e) {
            throw new Failures.UserError(Doorman.FAILURE, e.getMessage());
        }
        Gallery.Snapshot snapshot = gallery.snapshot();
        return new DoorDecision(calibration, settings.references(), snapshot.people(), snapshot.templates(),
                settings.curves(), settings.strangerAcceptPerVisit());
    }
}
