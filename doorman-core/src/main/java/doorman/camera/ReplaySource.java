package doorman.camera;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames read from image files in a fixed order, once or looping: a stand-in camera for tests and demos.
 * A file that does not decode is skipped with a warning.
 */
public final class ReplaySource implements FrameSource {

    private static final Logger log = LoggerFactory.getLogger(ReplaySource.class);
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "pgm", "ppm", "webp");

    private final String description;
    private final List<Path> files;
    private final boolean loop;
    private int position;
    private int readableInThisPass;
    private long skippedFiles;

    /** @throws IllegalArgumentException if the list is empty */
    public ReplaySource(List<Path> files, boolean loop) {
        this(files, loop, files.size() + " files");
    }

    private ReplaySource(List<Path> files, boolean loop, String description) {
        if (files.isEmpty()) throw new IllegalArgumentException("no images to replay from " + description);
        OpenCv.load();
        this.files = List.copyOf(files);
        this.loop = loop;
        this.description = "replay of " + description + (loop ? ", looping" : "");
    }

    /**
     * The images directly inside {@code folder} (by extension, not recursive), sorted by file name.
     *
     * @throws CameraException if the folder cannot be read or holds no images
     */
    public static ReplaySource ofFolder(Path folder, boolean loop) {
        List<Path> images;
        try (Stream<Path> entries = Files.list(folder)) {
            images = entries.filter(Files::isRegularFile).filter(ReplaySource::isImage).sorted().toList();
        } catch (IOException e) {
            throw new CameraException("cannot list replay folder " + folder + ": " + e.getMessage(), e);
        }
        if (images.isEmpty()) throw new CameraException("replay folder " + folder + " holds no images");
        return new ReplaySource(images, loop, folder.toString());
    }

    @Override
    public Optional<Mat> next() {
        while (true) {
            if (position == files.size()) {
                // a looping pass that found nothing readable would otherwise spin forever
                if (!loop || readableInThisPass == 0) return Optional.empty();
                position = 0;
                readableInThisPass = 0;
            }
            Path file = files.get(position++);
            try {
                Mat image = ImageDecoder.read(file, ImageDecoder.Limits.DEFAULT); // the uploads' limits
                readableInThisPass++;
                return Optional.of(image);
            } catch (ImageException e) {
                skippedFiles++;
                log.warn("skipping {}: {}", file, e.getMessage());
            }
        }
    }

    /** Files that failed to decode, counted once per pass. */
    public long skippedFiles() {
        return skippedFiles;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // files are read one at a time and nothing stays open
    }

    /** Whether {@code file} has the extension of an image this source plays. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
