package doorman.camera;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.*;

/** OpenCV's library is unpacked once into the cache folder and found there by every later start. */
class OpenCvCacheTest {

    @Test
    void unpacksOnceAndReusesTheCopy(@TempDir Path cache) throws Exception {
        Path first = OpenCv.cachedLibrary(cache);
        assertNotNull(first, "OpenCV's jar has a library for " + System.getProperty("os.arch"));
        assertTrue(first.startsWith(cache));
        assertEquals(OpenCv.LIBRARY, first.getFileName().toString());
        long size = Files.size(first);
        assertEquals("opencv-" + size, first.getParent().getFileName().toString(), "the size names the folder");
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, written);
        Path second = OpenCv.cachedLibrary(cache);
        assertEquals(first, second);
        assertEquals(written, Files.getLastModifiedTime(second), "the second start did not unpack it again");
        try (var left = Files.list(first.getParent())) {
            assertEquals(1, left.count(), "no partial copies are left behind");
        }
    }

    @Test
    void aTruncatedCopyIsReplaced(@TempDir Path cache) throws Exception {
        Path lib = OpenCv.cachedLibrary(cache);
        long size = Files.size(lib);
        Files.write(lib, new byte[10]);
        assertEquals(size, Files.size(OpenCv.cachedLibrary(cache)));
    }

    @Test
    void theLoadedLibraryWorks() {
        OpenCv.load();
        Mat m = Mat.ones(2, 2, CvType.CV_8UC1);
        try {
            assertEquals(4, Core.countNonZero(m));
        } finally {
            m.release();
        }
    }
}
