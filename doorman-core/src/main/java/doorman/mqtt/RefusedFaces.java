package doorman.mqtt;

import doorman.policy.Action;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The aligned 112x112 face of a refused visit (stranger, or a known face turned away), as a JPEG on
 * {@code <base>/<door>/face}, not retained. Only with {@code mqtt.publish-faces}: a face is personal data.
 */
final class RefusedFaces {

    private final Topics topics;
    private final MqttLink link;
    private final FaceAligner aligner = new FaceAligner();

    RefusedFaces(Topics topics, MqttLink link) {
        this.topics = topics;
        this.link = link;
    }

    static boolean refused(Action action) {
        return action != Action.UNLOCK && action != Action.NONE;
    }

    void offer(Action action, Mat frame, Face face) {
        if (face == null || !refused(action)) return;
        Mat crop = aligner.align(frame, face);
        MatOfByte jpeg = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        try {
            if (Imgcodecs.imencode(".jpg", crop, jpeg, params)) link.offer(new MqttLink.Outgoing(topics.face(), jpeg.toArray(), false));
        } finally {
            crop.release();
            jpeg.release();
            params.release();
        }
    }
}
