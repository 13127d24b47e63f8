package doorman.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocPlotTest {

    @TempDir
    Path dir;

    @Test
    void drawsEachCurveInItsColour() throws IOException {
        VerificationMetrics strong = simulated(2.5, 12_000);
        VerificationMetrics weak = simulated(1.0, 500);
        Path full = dir.resolve("nested/roc.png");
        Path zoom = Path.of("target", "roc-simulated-zoom.png");

        RocPlot.write(full, "Simulated", List.of(new RocPlot.Curve("strong", strong), new RocPlot.Curve("weak", weak)));
        RocPlot.write(zoom, "Simulated, zoomed", List.of(new RocPlot.Curve("strong", strong),
                new RocPlot.Curve("weak", weak)), 0.8);

        for (Path png : List.of(full, zoom)) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(900, image.getWidth());
            assertEquals(660, image.getHeight());
            assertTrue(count(image, 0x1f77b4) > 500, "first curve drawn in blue in " + png);
            assertTrue(count(image, 0xd62728) > 200, "second curve drawn in red in " + png);
        }
    }

    @Test
    void refusesNonsense() {
        VerificationMetrics m = simulated(1, 100);
        Path png = dir.resolve("x.png");
        assertThrows(IllegalArgumentException.class, () -> RocPlot.write(png, "t", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> RocPlot.write(png, "t", List.of(new RocPlot.Curve("m", m)), 1.0));
    }

    /** Genuine distances N(1,0.3), impostor N(1+separation*0.3, 0.3). */
    private static VerificationMetrics simulated(double separation, int perClass) {
        Random r = new Random(3);
        double[] d = new double[2 * perClass];
        boolean[] same = new boolean[2 * perClass];
        for (int i = 0; i < perClass; i++) {
            same[i] = true;
            d[i] = 1 + 0.3 * r.nextGaussian();
            d[perClass + i] = 1 + 0.3 * separation + 0.3 * r.nextGaussian();
        }
        return VerificationMetrics.of(d, same, new int[2 * perClass]);
    }

    private static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++)
            for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
        return n;
    }
}
