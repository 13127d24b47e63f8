package doorman.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.embedding.Embedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {

    @TempDir
    Path dir;

    /** Unit vectors at fixed angles: a close together, b close together, c far from both. */
    private final Map<String, Double> angles = Map.of("a1", 0.0, "a2", 0.2, "b1", 1.5, "b2", 1.6, "c1", 3.0, "d1", 0.9);

    @Test
    void embedsEachImageOnceAndExcludesFailedPairs() throws IOException {
        Path a1 = image("a1"), a2 = image("a2"), b1 = image("b1"), b2 = image("b2"), c1 = image("c1"), d1 = image("d1");
        Path noFace = image("f1");
        Path missing = dir.resolve("x1.jpg");
        List<FacePair> pairs = List.of(
                new FacePair(a1, a2, true, 0),
                new FacePair(b1, b2, true, 0),
                new FacePair(a1, b1, false, 0),
                new FacePair(a2, c1, false, 0),
                new FacePair(d1, b2, false, 0),
                new FacePair(noFace, a1, true, 0),
                new FacePair(missing, b1, false, 0),
                new FacePair(a1, a2, true, 0));
        Map<Path, Integer> calls = new HashMap<>();
        Function<Path, Optional<Embedding>> embedder = counting(fixed(), calls);
        List<int[]> progress = new ArrayList<>();

        EvalReport report = Evaluator.evaluate("angles", pairs, embedder, (done, total) -> progress.add(new int[]{done, total}));

        assertEquals(8, calls.size() + 1, "every existing image embedded, the missing one never asked for");
        assertTrue(calls.values().stream().allMatch(n -> n == 1), "each image embedded once: " + calls);
        assertEquals(List.of(noFace), report.detectionFailures());
        assertEquals(List.of(missing), report.missingImages());
        assertEquals(8, report.pairsTotal());
        assertEquals(6, report.pairsUsed());
        assertEquals(2, report.pairsExcluded());
        assertEquals(6, report.imagesEmbedded());
        assertEquals(2, report.dimension());
        assertEquals(8, progress.size(), "one call per distinct image, missing ones included");
        assertEquals(8, progress.get(7)[0]);
        assertTrue(progress.stream().allMatch(p -> p[1] == 8));

        double[] expected = {dist(0, 0.2), dist(1.5, 1.6), dist(0, 1.5), dist(0.2, 3.0), dist(0.9, 1.6), dist(0, 0.2)};
        boolean[] same = {true, true, false, false, false, true};
        assertEquals(VerificationMetrics.of(expected, same, new int[6]), report.metrics());
        assertEquals(1.0, report.metrics().auc(), 1e-12, "genuine pairs are the closest ones");
    }

    @Test
    void severalEmbeddersShareThePairsTheyAllManaged() throws IOException {
        Path a1 = image("a1"), a2 = image("a2"), b1 = image("b1"), b2 = image("b2"), c1 = image("c1");
        List<FacePair> pairs = List.of(new FacePair(a1, a2, true, 0), new FacePair(b1, b2, true, 0),
                new FacePair(a1, b1, false, 0), new FacePair(a2, c1, false, 0));
        Function<Path, Optional<Embedding>> picky = p -> p.equals(b2) ? Optional.empty() : fixed().apply(p);
        Function<Path, Optional<Embedding>> flipped = p -> fixed().apply(p).map(e -> Embedding.normalised(
                new float[]{e.values()[1], e.values()[0], 0.5f}));
        Map<String, Function<Path, Optional<Embedding>>> embedders = new LinkedHashMap<>();
        embedders.put("picky", picky);
        embedders.put("flipped", flipped);
        int[] last = new int[2];

        Map<String, EvalReport> reports = Evaluator.evaluateAll(pairs, embedders, (done, total) -> {
            assertTrue(done == last[0] + 1, "progress counts up by one");
            last[0] = done;
            last[1] = total;
        });

        assertEquals(List.of("picky", "flipped"), List.copyOf(reports.keySet()));
        assertEquals(10, last[0]);
        assertEquals(10, last[1]);
        EvalReport picked = reports.get("picky");
        EvalReport other = reports.get("flipped");
        assertEquals(List.of(b2), picked.detectionFailures());
        assertEquals(List.of(), other.detectionFailures());
        assertEquals(3, picked.pairsUsed());
        assertEquals(3, other.pairsUsed(), "the pair picky failed on is left out for both");
        assertEquals(3, other.dimension());
        assertEquals(5, other.imagesEmbedded());
        assertEquals(4, picked.imagesEmbedded());
    }

    @Test
    void anEmbedderThatThrowsStopsTheRunNamingTheImage() throws IOException {
        Path a1 = image("a1"), a2 = image("a2"), b1 = image("b1");
        List<FacePair> pairs = List.of(new FacePair(a1, a2, true, 0), new FacePair(a1, b1, false, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Evaluator.evaluate("broken", pairs,
                p -> {
                    if (p.equals(b1)) throw new IllegalArgumentException("corrupt tensor");
                    return fixed().apply(p);
                }, Evaluator.Progress.NONE));
        assertTrue(e.getMessage().contains(b1.toString()) && e.getMessage().contains("corrupt tensor"), e.getMessage());
    }

    @Test
    void tooFewUsablePairsIsAClearError() throws IOException {
        Path a1 = image("a1"), a2 = image("a2"), b1 = image("b1");
        List<FacePair> pairs = List.of(new FacePair(a1, a2, true, 0), new FacePair(a1, b1, false, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Evaluator.evaluate("blind", pairs, p -> Optional.empty(), Evaluator.Progress.NONE));
        assertTrue(e.getMessage().contains("too few usable pairs: 0 of 2"), e.getMessage());
    }

    @Test
    void reportsAsTextAndJson() throws IOException {
        Path a1 = image("a1"), a2 = image("a2"), b1 = image("b1"), c1 = image("c1"), noFace = image("f1");
        List<FacePair> pairs = List.of(new FacePair(a1, a2, true, 0), new FacePair(a1, b1, false, 0),
                new FacePair(a2, c1, false, 0), new FacePair(noFace, c1, true, 0));
        EvalReport report = Evaluator.evaluate("angles-2d", pairs, fixed(), Evaluator.Progress.NONE);

        String text = report.toHumanText();
        assertTrue(text.startsWith("angles-2d (2-d): 4 pairs, 3 used, 1 excluded (1 images without a face, 0 missing)"), text);
        assertTrue(text.contains("AUC              1.0000"), text);
        assertTrue(text.contains("TAR @ FAR 1e-03  n/a: 2 different-person pairs cannot resolve it (need 1000)"), text);
        assertTrue(text.contains(noFace.toString()), text);

        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(mapper.writeValueAsString(report.toJson()));
        assertEquals("angles-2d", json.get("embedder").asText());
        assertEquals(3, json.get("pairsUsed").asInt());
        assertEquals(noFace.toString(), json.get("detectionFailures").get(0).asText());
        JsonNode metrics = json.get("metrics");
        assertEquals(1.0, metrics.get("auc").asDouble());
        assertTrue(metrics.get("tarAtFar1e3").get("tar").isNull(), "NaN becomes null");
        assertTrue(!metrics.get("tarAtFar1e3").get("estimable").asBoolean());
        assertEquals(report.metrics().roc().size(), metrics.get("roc").size());
        assertEquals(3, metrics.get("roc").get(0).size());
    }

    private Function<Path, Optional<Embedding>> fixed() {
        return p -> {
            String name = p.getFileName().toString().replace(".jpg", "");
            Double angle = angles.get(name);
            if (angle == null) return Optional.empty();
            return Optional.of(Embedding.normalised(new float[]{(float) Math.cos(angle), (float) Math.sin(angle)}));
        };
    }

    private static Function<Path, Optional<Embedding>> counting(Function<Path, Optional<Embedding>> f, Map<Path, Integer> calls) {
        return p -> {
            calls.merge(p, 1, Integer::sum);
            return f.apply(p);
        };
    }

    private static double dist(double angle1, double angle2) {
        return Embedding.normalised(new float[]{(float) Math.cos(angle1), (float) Math.sin(angle1)})
                .distance(Embedding.normalised(new float[]{(float) Math.cos(angle2), (float) Math.sin(angle2)}));
    }

    private Path image(String name) throws IOException {
        Path p = dir.resolve(name + ".jpg");
        Files.write(p, new byte[]{1});
        return p;
    }
}
