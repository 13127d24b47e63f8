package doorman.http;

import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.pipeline.FacePipeline;

import java.util.Objects;

/**
 * What the API works on. The pipeline must be the API's own instance (the API calls it from one request
 * thread at a time, never concurrently with itself); {@code camera} is null under {@code doorman serve}.
 *
 * @param minGap how much closer the best person must be than the runner-up for /api/identify to accept
 */
public record ApiServices(Gallery gallery, FacePipeline pipeline, Calibration calibration, double minGap,
                          DoorCamera camera) {

    public ApiServices {
        Objects.requireNonNull(gallery, "gallery");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(calibration, "calibration");
        if (!calibration.encoder().equals(pipeline.encoderName()))
            throw new IllegalArgumentException("the calibration is for encoder " + calibration.encoder()
                    + " but the pipeline makes " + pipeline.encoderName() + " embeddings");
        if (!(minGap >= 0)) throw new IllegalArgumentException("minGap must be >= 0, got " + minGap);
    }
}
