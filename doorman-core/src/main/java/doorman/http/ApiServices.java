package doorman.http;

import doorman.audit.AuditLog;
import doorman.gallery.Gallery;
import doorman.lock.LockActuator;
import doorman.match.Calibration;
import doorman.match.DoorSettings;
import doorman.pictures.SnapshotStore;
import doorman.pipeline.FacePipeline;
import doorman.vision.LivenessModel;
import doorman.vision.QualityGate;

import java.time.Duration;
import java.util.Objects;

/**
 * What the API works on. The pipeline and the liveness checker must be the API's own instances (the API
 * calls them from one request thread at a time, never concurrently with itself); the quality gate is
 * stateless and may be shared. {@code liveness} is null when the configuration turns the spoof check off.
 * Under {@code doorman serve} {@code camera} is null (capture answers 409); {@code lock} is null where the
 * API must not drive the door (unlock answers 409).
 *
 * @param door       how /api/identify and /api/verify decide, as the door does
 * @param pulse      how long a manual unlock keeps the door open
 * @param thumbnails whether an enrolled face keeps a thumbnail (config {@code pictures.thumbnails})
 * @param snapshots  the refused visits' snapshots; null: none (the events say none has one)
 */
public record ApiServices(Gallery gallery, FacePipeline pipeline, QualityGate quality, LivenessModel liveness,
                          Calibration calibration, DoorSettings door, AuditLog audit, LockActuator lock, Duration pulse,
                          DoorCamera camera, boolean thumbnails, SnapshotStore snapshots) {

    public ApiServices {
        Objects.requireNonNull(gallery, "gallery");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(pulse, "pulse");
        if (!calibration.encoder().equals(pipeline.encoderName()))
            throw new IllegalArgumentException("the calibration is for encoder " + calibration.encoder()
                    + " but the pipeline makes " + pipeline.encoderName() + " embeddings");
        Objects.requireNonNull(door, "door");
    }

    /** With thumbnails kept and no snapshots. */
    public ApiServices(Gallery gallery, FacePipeline pipeline, QualityGate quality, LivenessModel liveness,
                       Calibration calibration, DoorSettings door, AuditLog audit, LockActuator lock, Duration pulse,
                       DoorCamera camera) {
        this(gallery, pipeline, quality, liveness, calibration, door, audit, lock, pulse, camera, true, null);
    }
}
