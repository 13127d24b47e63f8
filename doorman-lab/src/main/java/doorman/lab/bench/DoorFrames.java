package doorman.lab.bench;

import doorman.camera.OpenCv;
import doorman.vision.ImageDecoder;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A deterministic door camera recording made from LFW photos: people walk up (their photo scaled so the face is as wide
 * as at 0.5-1 m from a 60-70 degree webcam, placed on a frame of the camera's size, the border filled by reflecting
 * the photo so no pasted rectangle shows), stand for a second or two with a little sway, and leave; empty frames in
 * between. Enrolled people alternate with strangers. Frames are JPEG bytes, as an MJPEG camera delivers them.
 */
public final class DoorFrames {

    /** Who is in front of the door in one frame: nobody (-1 person), an enrolled person, or a stranger. */
    public record Shot(byte[] jpeg, int visit, int person, boolean enrolled) {
        public boolean empty() {
            return person < 0;
        }
    }

    /** One person of the script: their enrolment photo (enrolled people only) and the photo shown at the door. */
    public record Visitor(String name, Path enrolPhoto, Path doorPhoto, boolean enrolled) {}

    /** The recording: its frames in order, and the visitors they show. */
    public record Recording(int width, int height, List<Shot> shots, List<Visitor> visitors) {
        /** Index of the first frame of each visit by an enrolled person. */
        public List<Integer> enrolledVisitStarts() {
            List<Integer> starts = new ArrayList<>();
            int last = -1;
            for (int i = 0; i < shots.size(); i++) {
                Shot s = shots.get(i);
                if (!s.empty() && s.enrolled() && s.visit() != last) starts.add(i);
                if (!s.empty()) last = s.visit();
            }
            return starts;
        }
    }

    /** LFW 250x250 deep-funneled photos show the face about 100 pixels wide. */
    private static final double LFW_FACE_WIDTH = 100;

    private DoorFrames() {}

    /**
     * @param visits      enrolled visitors (as many strangers come between them)
     * @param visitFrames frames a visitor stands at the door
     * @param gapFrames   empty frames between visitors (more than the policy's cooldown keeps visits apart)
     */
    public static Recording make(Path lfw, int width, int height, int visits, int visitFrames, int gapFrames) {
        OpenCv.load();
        List<List<Path>> people = peopleWithPhotos(lfw, 2, visits * 2);
        if (people.size() < visits * 2)
            throw new IllegalArgumentException("need " + visits * 2 + " people with 2+ photos under " + lfw + ", found " + people.size());
        List<Visitor> visitors = new ArrayList<>();
        for (int i = 0; i < visits * 2; i++) {
            List<Path> photos = people.get(i);
            boolean enrolled = i % 2 == 0;
            visitors.add(new Visitor(photos.get(0).getParent().getFileName().toString(), enrolled ? photos.get(0) : null,
                    photos.get(1), enrolled));
        }
        Random random = new Random(20261202L + width);
        Mat background = background(width, height, random);
        List<Shot> shots = new ArrayList<>();
        try {
            for (int g = 0; g < gapFrames; g++) shots.add(new Shot(jpeg(background), -1, -1, false));
            for (int v = 0; v < visitors.size(); v++) {
                Visitor visitor = visitors.get(v);
                // faces 90-160 pixels wide on a 640-wide frame (about 1 m to 0.5 m), proportionally more on a wider one
                double faceWidth = (90 + random.nextInt(71)) * width / 640.0;
                Mat photo = ImageDecoder.read(visitor.doorPhoto());
                try {
                    int cx = width / 2 + random.nextInt(width / 5) - width / 10;
                    int cy = height / 2 + random.nextInt(height / 8) - height / 16;
                    for (int f = 0; f < visitFrames; f++) {
                        // a person standing still sways a few pixels and leans in a little
                        double scale = faceWidth / LFW_FACE_WIDTH * (1 + 0.004 * f);
                        int dx = (int) Math.round(3 * Math.sin(f * 0.7)), dy = (int) Math.round(2 * Math.cos(f * 0.5));
                        Mat frame = place(photo, scale, width, height, cx + dx, cy + dy);
                        try {
                            shots.add(new Shot(jpeg(frame), v, v, visitor.enrolled()));
                        } finally {
                            frame.release();
                        }
                    }
                } finally {
                    photo.release();
                }
                for (int g = 0; g < gapFrames; g++) shots.add(new Shot(jpeg(background), -1, -1, false));
            }
        } finally {
            background.release();
        }
        return new Recording(width, height, shots, visitors);
    }

    /** Writes the frames as numbered JPEGs (a replay folder for the daemon). */
    public static void write(Recording recording, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < recording.shots().size(); i++)
            Files.write(folder.resolve(String.format("%05d.jpg", i)), recording.shots().get(i).jpeg());
    }

    /** The photo scaled and centred at (cx, cy) on a frame of the camera's size, the rest filled by reflection. */
    private static Mat place(Mat photo, double scale, int width, int height, int cx, int cy) {
        Mat scaled = new Mat();
        Mat framed = new Mat();
        try {
            Imgproc.resize(photo, scaled, new Size(Math.round(photo.cols() * scale), Math.round(photo.rows() * scale)), 0, 0,
                    Imgproc.INTER_LINEAR);
            int left = Math.max(0, cx - scaled.cols() / 2), top = Math.max(0, cy - scaled.rows() / 2);
            int right = Math.max(0, width - left - scaled.cols()), bottom = Math.max(0, height - top - scaled.rows());
            Core.copyMakeBorder(scaled, framed, top, bottom, left, right, Core.BORDER_REFLECT_101);
            return framed.submat(0, height, 0, width).clone();
        } finally {
            scaled.release();
            framed.release();
        }
    }

    /** An empty doorway: a smooth grey gradient with sensor noise, the same every run. */
    private static Mat background(int width, int height, Random random) {
        Mat bg = new Mat(height, width, org.opencv.core.CvType.CV_8UC3);
        byte[] row = new byte[width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = 70 + 60 * x / width + 30 * y / height;
                for (int c = 0; c < 3; c++) row[x * 3 + c] = (byte) Math.max(0, Math.min(255, base + c * 8 + random.nextInt(7) - 3));
            }
            bg.put(y, 0, row);
        }
        return bg;
    }

    private static byte[] jpeg(Mat bgr) {
        return doorman.pictures.FacePictures.jpeg(bgr, 90);
    }

    private static List<List<Path>> peopleWithPhotos(Path lfw, int min, int count) {
        List<List<Path>> people = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(lfw)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList()) {
                if (people.size() == count) break;
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> photos = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
                    if (photos.size() >= min) people.add(photos);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return people;
    }
}
