package doorman.cli;

import doorman.enroll.PhotoDigest;
import doorman.pipeline.FacePipeline;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading an image file into one face's embedding, with the refusals the CLI reports. */
public final class Images {

    private Images() {}

    /** A face found in a file: its embedding, the detector's score, how many faces the file had, its sha256. */
    public record Probe(Path file, FacePipeline.FaceEmbedding face, String sha256) {
        String severalNote() {
            int n = face.facesInImage();
            return n > 1 ? " (" + n + " faces in " + file.getFileName() + "; used the largest)" : "";
        }
    }

    /** The largest face of the file; no face is a bad-input error. */
    public static Probe largestFace(FacePipeline pipeline, Path file) {
        return largestFace(pipeline, file, readBounded(file));
    }

    /** The largest face of a photo read by the caller (perhaps in another process); named as the caller named it. */
    static Probe largestFace(FacePipeline pipeline, Photo photo) {
        return largestFace(pipeline, Path.of(photo.label()), photo.require());
    }

    private static Probe largestFace(FacePipeline pipeline, Path file, byte[] bytes) {
        Mat bgr;
        try {
            bgr = ImageDecoder.decode(bytes);
        } catch (ImageException e) {
            throw Failures.badInput(file + ": " + e.getMessage());
        }
        try {
            FacePipeline.FaceEmbedding face = pipeline.largest(bgr);
            if (face == null) throw Failures.badInput(file + ": no face found");
            return new Probe(file, face, PhotoDigest.sha256(bytes));
        } finally {
            bgr.release();
        }
    }

    public static byte[] readBounded(Path file) {
        try {
            if (!Files.isRegularFile(file)) throw Failures.badInput(file + ": no such file");
            if (Files.size(file) > ImageDecoder.Limits.DEFAULT.maxBytes())
                throw new ImageException(file + ": file is larger than " + ImageDecoder.Limits.DEFAULT.maxBytes() / (1024 * 1024) + " MB");
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw Failures.badInput(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
