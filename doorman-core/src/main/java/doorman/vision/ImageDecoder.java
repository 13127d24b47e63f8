package doorman.vision;

import doorman.camera.OpenCv;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Turns untrusted image bytes into an 8-bit 3-channel BGR Mat (grey images become BGR), refusing oversized
 * input by its byte count and by the pixel count its header declares before any decoding happens.
 * The caller owns the returned Mat and must release it.
 */
public final class ImageDecoder {

    /** Largest accepted input in bytes and largest accepted image in pixels. */
    public record Limits(long maxBytes, long maxPixels) {

        public static final Limits DEFAULT = new Limits(25L * 1024 * 1024, 40_000_000L);

        public Limits {
            if (maxBytes < 1 || maxPixels < 1) throw new IllegalArgumentException("limits must be positive");
        }
    }

    private ImageDecoder() {
    }

    public static Mat decode(byte[] bytes) {
        return decode(bytes, Limits.DEFAULT);
    }

    public static Mat decode(byte[] bytes, Limits limits) {
        if (bytes == null || bytes.length == 0) throw new ImageException("empty image: no bytes received");
        if (bytes.length > limits.maxBytes()) throw tooManyBytes(bytes.length, limits);
        ImageHeader header = ImageHeader.parse(bytes);
        if (header.pixels() > limits.maxPixels()) {
            throw new ImageException(String.format(Locale.ROOT, "image too large: %d x %d pixels (limit %s)",
                    header.width(), header.height(), megapixels(limits.maxPixels())));
        }
        OpenCv.load();
        MatOfByte encoded = new MatOfByte(bytes);
        Mat image;
        try {
            image = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
        } finally {
            encoded.release();
        }
        if (image.empty()) {
            image.release();
            throw ImageHeader.unreadable("corrupt " + header.format() + " data");
        }
        return image;
    }

    public static Mat read(Path file) {
        return read(file, Limits.DEFAULT);
    }

    /** Reads and decodes a file; errors name the file. */
    public static Mat read(Path file, Limits limits) {
        byte[] bytes;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) throw new ImageException("not a regular file: " + file);
            if (attributes.size() > limits.maxBytes()) throw tooManyBytes(attributes.size(), limits);
            try (InputStream in = Files.newInputStream(file)) {
                // one byte over the limit is enough to notice a file that grew after the size check
                bytes = in.readNBytes((int) Math.min(limits.maxBytes() + 1, Integer.MAX_VALUE - 8));
            }
        } catch (NoSuchFileException e) {
            throw new ImageException("no such file: " + file, e);
        } catch (AccessDeniedException e) {
            throw new ImageException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new ImageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return decode(bytes, limits);
        } catch (ImageException e) {
            throw new ImageException(file + ": " + e.getMessage(), e);
        }
    }

    private static ImageException tooManyBytes(long size, Limits limits) {
        return new ImageException(String.format(Locale.ROOT, "image too large: %s (limit %s)",
                humanSize(size), humanSize(limits.maxBytes())));
    }

    private static String humanSize(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        boolean mega = bytes >= 1024 * 1024;
        double value = bytes / (mega ? 1024.0 * 1024.0 : 1024.0);
        return String.format(Locale.ROOT, "%.1f", value).replace(".0", "") + (mega ? " MB" : " KB");
    }

    private static String megapixels(long pixels) {
        return String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6).replace(".0 megapixels", " megapixels");
    }
}
