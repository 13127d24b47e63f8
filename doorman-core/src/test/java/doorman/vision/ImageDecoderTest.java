package doorman.vision;

import doorman.camera.OpenCv;
import doorman.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void loadOpenCv() {
        OpenCv.load();
    }

    /** A real encoded picture made by OpenCV itself: a grey gradient with a bright square. */
    static byte[] encode(String extension, int width, int height) {
        Mat image = new Mat(height, width, CvType.CV_8UC3, new Scalar(40, 90, 160));
        image.submat(height / 4, height / 2, width / 4, width / 2).setTo(new Scalar(250, 250, 250));
        MatOfByte out = new MatOfByte();
        try {
            assertTrue(Imgcodecs.imencode(extension, image, out));
            return out.toArray();
        } finally {
            image.release();
            out.release();
        }
    }

    private static void assertDecodes(byte[] bytes, int width, int height) {
        Mat image = ImageDecoder.decode(bytes);
        try {
            assertEquals(width, image.cols());
            assertEquals(height, image.rows());
            assertEquals(CvType.CV_8UC3, image.type());
        } finally {
            image.release();
        }
    }

    private static String failure(byte[] bytes) {
        return assertThrows(ImageException.class, () -> ImageDecoder.decode(bytes)).getMessage();
    }

    @Test
    void decodesEachSupportedFormatToBgr() {
        for (String extension : new String[] {".jpg", ".png", ".bmp", ".ppm"}) {
            byte[] bytes = encode(extension, 64, 48);
            ImageHeader header = ImageHeader.parse(bytes);
            assertEquals(64, header.width(), extension);
            assertEquals(48, header.height(), extension);
            assertDecodes(bytes, 64, 48);
        }
    }

    @Test
    void greyPgmBecomesThreeChannels() {
        byte[] header = "P5\n# a comment\n4 3\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(header, header.length + 12);
        Arrays.fill(bytes, header.length, bytes.length, (byte) 200);
        Mat image = ImageDecoder.decode(bytes);
        try {
            assertEquals(CvType.CV_8UC3, image.type());
            assertEquals(4, image.cols());
            assertEquals(3, image.rows());
            assertEquals(200, image.get(2, 3)[1], 1e-9);
        } finally {
            image.release();
        }
    }

    @Test
    void orlPgmFromTheDatasetDecodes() {
        Mat image = ImageDecoder.read(TestData.dataset("orl/s1/1.pgm"));
        try {
            assertEquals(92, image.cols());
            assertEquals(112, image.rows());
            assertEquals(CvType.CV_8UC3, image.type());
        } finally {
            image.release();
        }
    }

    @Test
    void zeroByteFileIsEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        String message = assertThrows(ImageException.class, () -> ImageDecoder.read(empty)).getMessage();
        assertTrue(message.contains("empty image"), message);
        assertTrue(message.contains("empty.jpg"), message);
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 'x'; // no accidental magic number
        assertTrue(failure(noise).startsWith("not a readable image (unsupported format"), failure(noise));
    }

    @Test
    void jpegWithABrokenMarkerChainIsCorrupt() {
        byte[] jpeg = encode(".jpg", 64, 48);
        int secondSegment = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        jpeg[secondSegment] = 0x00; // where the next marker's 0xFF must be
        assertEquals("not a readable image (corrupt JPEG data)", failure(jpeg));
    }

    @Test
    void truncatedJpegIsRefused() {
        byte[] jpeg = encode(".jpg", 200, 150);
        String message = failure(Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        assertEquals("not a readable image (truncated JPEG data)", message);
        assertTrue(failure(Arrays.copyOf(jpeg, 10)).contains("truncated JPEG data"));
    }

    @Test
    void truncatedPngIsRefused() {
        byte[] png = encode(".png", 200, 150);
        assertEquals("not a readable image (corrupt PNG data)", failure(Arrays.copyOf(png, png.length / 2)));
    }

    @Test
    void pngClaimingTenGigapixelsIsRefusedBeforeDecoding() {
        ByteBuffer png = ByteBuffer.allocate(45);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        png.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII));
        png.putInt(100_000).putInt(100_000);
        png.put(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, then an arbitrary CRC and an empty IDAT start
        png.putInt(0x12345678);
        assertEquals("image too large: 100000 x 100000 pixels (limit 40 megapixels)", failure(png.array()));
    }

    @Test
    void tooManyBytesIsRefused() throws IOException {
        byte[] jpeg = encode(".jpg", 200, 150);
        ImageDecoder.Limits small = new ImageDecoder.Limits(1024, 1_000_000);
        String message = assertThrows(ImageException.class, () -> ImageDecoder.decode(jpeg, small)).getMessage();
        assertTrue(message.startsWith("image too large: ") && message.endsWith(" KB (limit 1 KB)"), message);
        Path file = Files.write(dir.resolve("big.jpg"), jpeg);
        String fromFile = assertThrows(ImageException.class, () -> ImageDecoder.read(file, small)).getMessage();
        assertTrue(fromFile.startsWith("image too large: "), fromFile);
    }

    @Test
    void missingFileAndDirectoryAreNamed() {
        Path missing = dir.resolve("nobody.jpg");
        assertEquals("no such file: " + missing,
                assertThrows(ImageException.class, () -> ImageDecoder.read(missing)).getMessage());
        assertEquals("not a regular file: " + dir,
                assertThrows(ImageException.class, () -> ImageDecoder.read(dir)).getMessage());
    }

    @Test
    void bmpHeaderSizeIsReadForTopDownImages() {
        byte[] bmp = encode(".bmp", 30, 20);
        ByteBuffer.wrap(bmp).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(22, -20);
        ImageHeader header = ImageHeader.parse(bmp);
        assertEquals(30, header.width());
        assertEquals(20, header.height());
    }
}
