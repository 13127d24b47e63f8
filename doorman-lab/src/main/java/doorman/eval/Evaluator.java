package doorman.eval;

import doorman.embedding.Embedding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs embedders over the images of a pair list and measures verification. Each distinct image is embedded once
 * per embedder. An embedder answers empty when it finds no usable face (or cannot read the image); files that do
 * not exist are never handed to it. An exception from an embedder stops the run, since it means a bug rather
 * than a hard photo.
 */
public final class Evaluator {

    /** Called after each image; {@code total} counts every image for every embedder of the run. */
    @FunctionalInterface
    public interface Progress {
        void imagesDone(int done, int total);

        Progress NONE = (done, total) -> {
        };
    }

    private Evaluator() {
    }

    public static EvalReport evaluate(String name, List<FacePair> pairs, Function<Path, Optional<Embedding>> embedder,
                                      Progress progress) {
        return evaluateAll(pairs, Map.of(name, embedder), progress).get(name);
    }

    /**
     * Every embedder on the same pairs; the result keeps the map's iteration order. A pair is used only when
     * all embedders succeeded on both its images.
     */
    public static Map<String, EvalReport> evaluateAll(List<FacePair> pairs,
                                                      Map<String, Function<Path, Optional<Embedding>>> embedders,
                                                      Progress progress) {
        if (pairs.isEmpty()) throw new IllegalArgumentException("no pairs to evaluate");
        if (embedders.isEmpty()) throw new IllegalArgumentException("no embedders to evaluate");
        List<Path> images = distinctImages(pairs);
        List<Path> missing = images.stream().filter(p -> !Files.isRegularFile(p)).toList();
        Set<Path> missingSet = Set.copyOf(missing);
        int total = images.size() * embedders.size();
        int done = 0;

        Map<String, Run> runs = new LinkedHashMap<>();
        for (Map.Entry<String, Function<Path, Optional<Embedding>>> e : embedders.entrySet()) {
            Run run = new Run(e.getKey(), System.nanoTime());
            for (Path image : images) {
                if (!missingSet.contains(image)) run.embed(image, e.getValue());
                progress.imagesDone(++done, total);
            }
            run.embedNanos = System.nanoTime() - run.started;
            runs.put(e.getKey(), run);
        }

        List<FacePair> usable = pairs.stream()
                .filter(p -> runs.values().stream().allMatch(r -> r.has(p.first()) && r.has(p.second())))
                .toList();
        if (usable.stream().noneMatch(FacePair::same) || usable.stream().allMatch(FacePair::same))
            throw new IllegalStateException("too few usable pairs: " + usable.size() + " of " + pairs.size()
                    + " remain after " + missing.size() + " missing images and failed detections, and they need "
                    + "at least one same-person and one different-person pair");

        Map<String, EvalReport> reports = new LinkedHashMap<>();
        for (Run run : runs.values()) reports.put(run.name, run.report(usable, pairs.size(), missing));
        return reports;
    }

    private static List<Path> distinctImages(List<FacePair> pairs) {
        Set<Path> images = new LinkedHashSet<>();
        for (FacePair p : pairs) {
            images.add(p.first());
            images.add(p.second());
        }
        return new ArrayList<>(images);
    }

    /** One embedder's cache and failures. */
    private static final class Run {
        final String name;
        final long started;
        final Map<Path, Embedding> embeddings = new HashMap<>();
        final List<Path> failures = new ArrayList<>();
        long embedNanos;
        int dimension = -1;

        Run(String name, long started) {
            this.name = name;
            this.started = started;
        }

        void embed(Path image, Function<Path, Optional<Embedding>> embedder) {
            Optional<Embedding> result;
            try {
                result = embedder.apply(image);
            } catch (RuntimeException e) {
                throw new IllegalStateException("embedder '" + name + "' failed on " + image + ": " + e.getMessage(), e);
            }
            if (result.isEmpty()) {
                failures.add(image);
                return;
            }
            Embedding embedding = result.get();
            if (dimension < 0) dimension = embedding.dimension();
            else if (embedding.dimension() != dimension)
                throw new IllegalStateException("embedder '" + name + "' gave " + embedding.dimension() + "-d for "
                        + image + " after " + dimension + "-d for earlier images");
            embeddings.put(image, embedding);
        }

        boolean has(Path image) {
            return embeddings.containsKey(image);
        }

        EvalReport report(List<FacePair> usable, int pairsTotal, List<Path> missing) {
            long metricsStart = System.nanoTime();
            double[] distances = new double[usable.size()];
            boolean[] same = new boolean[usable.size()];
            int[] folds = new int[usable.size()];
            for (int i = 0; i < usable.size(); i++) {
                FacePair p = usable.get(i);
                distances[i] = embeddings.get(p.first()).distance(embeddings.get(p.second()));
                same[i] = p.same();
                folds[i] = p.fold();
            }
            VerificationMetrics metrics = VerificationMetrics.of(distances, same, folds);
            double seconds = (embedNanos + System.nanoTime() - metricsStart) / 1e9;
            return new EvalReport(name, dimension, metrics, pairsTotal, usable.size(), failures, missing,
                    embeddings.size(), seconds);
        }
    }
}
