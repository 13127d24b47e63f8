package doorman.camera;

import java.time.Instant;

/**
 * The camera's health as the daemon reports it on /healthz and in metrics: whether a frame arrived within the
 * allowed silence, when the last one came (null before the first), and how many frames were dropped because
 * the loop was still busy with an older one.
 */
public record CameraStatus(boolean up, Instant lastFrameAt, long frames, long dropped, String source) {
}
