package doorman.eval;

import doorman.TestData;
import doorman.embedding.Embedding;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole evaluation path on real photos without a model: ORL faces are centred and evenly lit, so block-averaged
 * grey pixels already verify people well above chance. Writes target/roc-orl-pixels.png for a look.
 */
class OrlPixelEvaluationTest {

    @Test
    void pixelEmbeddersOnOrl() throws IOException {
        Path orl = TestData.dataset("orl");
        List<FacePair> pairs = FolderPairs.sample(orl, 1800, 2024);
        Map<String, Function<Path, Optional<Embedding>>> embedders = new LinkedHashMap<>();
        embedders.put("pixels 4x4 blocks", p -> Optional.of(blockPixels(p, 4)));
        embedders.put("pixels 8x8 blocks", p -> Optional.of(blockPixels(p, 8)));

        Map<String, EvalReport> reports = Evaluator.evaluateAll(pairs, embedders, Evaluator.Progress.NONE);

        EvalReport fine = reports.get("pixels 4x4 blocks");
        assertEquals(3600, fine.pairsUsed());
        assertEquals(400, fine.imagesEmbedded());
        assertEquals(23 * 28, fine.dimension());
        assertEquals(10, fine.metrics().folds());
        for (EvalReport r : reports.values()) {
            assertTrue(r.metrics().auc() > 0.8, r.toHumanText());
            assertTrue(r.metrics().accuracyMean() > 0.7, r.toHumanText());
        }
        List<RocPlot.Curve> curves = reports.values().stream()
                .map(r -> new RocPlot.Curve(r.embedder(), r.metrics())).toList();
        Path png = Path.of("target", "roc-orl-pixels.png");
        RocPlot.write(png, "ORL, grey pixels (no model)", curves);
        BufferedImage written = ImageIO.read(png.toFile());
        assertEquals(900, written.getWidth());
        System.out.println(fine.toHumanText());
    }

    /** Block means of a grey PGM, centred and L2-normalised. */
    static Embedding blockPixels(Path pgm, int block) {
        int[][] grey = readPgm(pgm);
        int h = grey.length / block;
        int w = grey[0].length / block;
        float[] v = new float[w * h];
        double mean = 0;
        for (int by = 0; by < h; by++)
            for (int bx = 0; bx < w; bx++) {
                int sum = 0;
                for (int y = 0; y < block; y++)
                    for (int x = 0; x < block; x++) sum += grey[by * block + y][bx * block + x];
                v[by * w + bx] = sum / (float) (block * block);
                mean += v[by * w + bx];
            }
        mean /= v.length;
        for (int i = 0; i < v.length; i++) v[i] -= (float) mean;
        return Embedding.normalised(v);
    }

    /** Binary 8-bit PGM (P5), which ImageIO cannot read; header comments allowed. */
    static int[][] readPgm(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int[] pos = {0};
            String magic = token(bytes, pos);
            if (!magic.equals("P5")) throw new IOException(file + ": not a binary PGM");
            int width = Integer.parseInt(token(bytes, pos));
            int height = Integer.parseInt(token(bytes, pos));
            int max = Integer.parseInt(token(bytes, pos));
            if (max > 255) throw new IOException(file + ": 16-bit PGM not supported");
            int start = pos[0] + 1;
            int[][] grey = new int[height][width];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) grey[y][x] = bytes[start + y * width + x] & 0xFF;
            return grey;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(byte[] b, int[] pos) {
        while (true) {
            while (Character.isWhitespace(b[pos[0]])) pos[0]++;
            if (b[pos[0]] != '#') break;
            while (b[pos[0]] != '\n') pos[0]++;
        }
        int start = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) pos[0]++;
        return new String(b, start, pos[0] - start, StandardCharsets.US_ASCII);
    }
}
