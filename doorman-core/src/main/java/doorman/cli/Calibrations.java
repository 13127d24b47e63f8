package doorman.cli;

import doorman.app.Assembly;
import doorman.config.DoormanConfig;
import doorman.match.Calibration;
import doorman.models.ModelFiles;

/**
 * The margins for an embedding space, read the way the daemon reads them ({@link Assembly#calibration}), with a
 * failure phrased for the command line.
 */
public final class Calibrations {

    private Calibrations() {}

    /** As the door given with --config would decide (its match.calibration, if it names one). */
    public static Calibration forSpace(PipelineOptions options, String space) {
        return read(options.settings(), options.modelFiles(), space);
    }

    /** The build's calibration for the space, beside the models. */
    public static Calibration forSpace(ModelFiles models, String space) {
        return read(DoormanConfig.defaults(), models, space);
    }

    private static Calibration read(DoormanConfig config, ModelFiles models, String space) {
        try {
            return Assembly.calibration(config, models, space);
        } catch (IllegalStateException e) {
            throw new Failures.UserError(Doorman.FAILURE, e.getMessage());
        }
    }
}
