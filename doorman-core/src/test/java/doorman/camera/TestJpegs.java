package doorman.camera;

import doorman.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * JPEG files for the MJPEG tests, encoded with OpenCV from the shared sample photos, or from drawn pictures
 * when the shared data is absent (the stream mechanics do not depend on what the pictures show).
 */
final class TestJpegs {

    private TestJpegs() {
    }

    /** Writes {@code count} JPEGs into {@code dir}, each with a different size; returns them in order. */
    static List<Path> write(Path dir, int count) throws IOException {
        OpenCv.load();
        List<Mat> images = sampleImages(count);
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < images.size(); i++) {
                Path file = dir.resolve("frame" + i + ".jpg");
                Files.write(file, encode(images.get(i), 90));
                files.add(file);
            }
        } finally {
            images.forEach(Mat::release);
        }
        return files;
    }

    static byte[] encode(Mat image, int quality) {
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".jpg", image, out, new org.opencv.core.MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY,
                    quality))) {
                throw new IllegalStateException("imencode failed");
            }
            return out.toArray();
        } finally {
            out.release();
        }
    }

    /** Width of frame i as written by {@link #write}: each frame is scaled differently so order is checkable. */
    static int width(int i) {
        return 160 + 40 * i;
    }

    private static List<Mat> sampleImages(int count) throws IOException {
        Path faces = doorman.TestData.root().resolve("samples/group-photos");
        List<Path> sources = List.of();
        if (Files.isDirectory(faces)) {
            try (Stream<Path> files = Files.list(faces)) {
                sources = files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(count).toList();
            }
        }
        List<Mat> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mat original = i < sources.size() ? Imgcodecs.imread(sources.get(i).toString()) : drawn(i);
            Mat scaled = new Mat();
            try {
                int w = width(i);
                int h = Math.max(1, Math.round(w * original.rows() / (float) original.cols()));
                Imgproc.resize(original, scaled, new org.opencv.core.Size(w, h), 0, 0, Imgproc.INTER_AREA);
            } finally {
                original.release();
            }
            images.add(scaled);
        }
        return images;
    }

    private static Mat drawn(int i) {
        Mat image = new Mat(240, 320, CvType.CV_8UC3, new Scalar(40 * i % 255, 90, 200));
        Imgproc.circle(image, new org.opencv.core.Point(160, 120), 60 + 10 * i, new Scalar(255, 255, 255), -1);
        return image;
    }
}
