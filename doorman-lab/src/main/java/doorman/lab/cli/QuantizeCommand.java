package doorman.lab.cli;

import doorman.cli.Doorman;
import doorman.cli.Output;
import doorman.cli.Failures;
import doorman.embedding.Embedding;
import doorman.embedding.FaceEncoder;
import doorman.eval.EvalReport;
import doorman.eval.Evaluator;
import doorman.eval.FacePair;
import doorman.eval.FolderPairs;
import doorman.eval.PersonSplit;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.tflite.JavacppTflite;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;
import doorman.tflite.model.FlatModel;
import doorman.tflite.model.WeightVariant;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes the weight variants of an encoder (float16, int8 dynamic range, ...) and measures each on the same
 * faces: file size, median latency per face on one thread with XNNPACK, verification accuracy on folder pairs
 * and the loss against float32. Faces are detected and aligned once; every variant embeds the same crops.
 */
@Command(name = "quantize", description = {"Write quantised variants of an encoder and compare size, speed and accuracy.",
        "  doorman quantize --folder DIR --out DIR [--model FILE] [--limit-people N]"})
final class QuantizeCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--model", description = "Float32 encoder to convert. Default: encoder-128.tflite if built, else mobilefacenet-b1.tflite.")
    Path model;

    @Option(names = "--folder", required = true, description = "A folder per person, for verification pairs.")
    Path folder;

    @Option(names = "--out", required = true, description = "Folder to write the variants to.")
    Path out;

    @Option(names = "--variants", split = ",", defaultValue = "fp16,int8-dyn,int8-dyn-nodw,fp32-prelu,fp16-prelu",
            description = "Variants besides fp32. Default: ${DEFAULT-VALUE}.")
    List<String> variants;

    @Option(names = "--impostors", defaultValue = "3000", description = "Impostor pairs to sample. Default: ${DEFAULT-VALUE}.")
    int impostors;

    @Option(names = "--split", defaultValue = "heldout",
            description = "People to use: all, train or heldout (never seen by 'doorman train'). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--limit-people", defaultValue = "0", description = "Use this many people of --split, picked at random with --seed (0: all).")
    int limitPeople;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for people, pairs and folds. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--runs", defaultValue = "200", description = "Timed runs per variant. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed runs per variant first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--models", description = "Folder with the model files (default: the build's models).")
    Path models;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One variant's measurements; accuracy figures are fractions, loss is in percentage points. */
    record Row(String variant, String description, String file, long bytes, double medianMs, double accuracy,
               double accuracyStd, double lossPoints, double auc, double eer, double meanCosine, double minCosine) {}

    private static final int ROUNDS = 10;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || warmup < 0) throw Failures.badInput("--runs must be at least 1 and --warmup at least 0");
        if (limitPeople < 0) throw Failures.badInput("--limit-people must be 0 (all) or more");
        if (impostors < 1) throw Failures.badInput("--impostors must be at least 1");
        if (!Files.isDirectory(folder)) throw Failures.badInput("not a folder: " + folder);
        ModelFiles files = models == null ? ModelFiles.locate() : new ModelFiles(models);
        Path source = model != null ? model : defaultModel(files);
        if (!Files.isRegularFile(source)) throw Failures.badInput("no such model file: " + source);
        byte[] float32 = Files.readAllBytes(source);
        new FlatModel(ByteBuffer.wrap(float32)); // refuses a file that is not a TFLite model
        List<WeightVariant> chosen = new ArrayList<>(List.of(WeightVariant.FLOAT32));
        for (String name : variants) {
            WeightVariant v = WeightVariant.parse(name);
            if (!chosen.contains(v)) chosen.add(v);
        }

        Map<WeightVariant, String> skipped = new LinkedHashMap<>();
        PersonSplit side = PersonSplit.parse(split);
        Predicate<String> keep = limitPeople > 0 ? samplePeople(side)::contains : side.people();
        List<FacePair> pairs = FolderPairs.sample(folder, impostors, FolderPairs.DEFAULT_GENUINE_PER_PERSON, seed, keep);
        Map<WeightVariant, Path> variantFiles = writeVariants(source, float32, chosen, skipped);
        List<FaceEncoder> encoders = new ArrayList<>();
        try {
            Map<WeightVariant, FaceEncoder> byVariant = new LinkedHashMap<>();
            for (Map.Entry<WeightVariant, Path> e : variantFiles.entrySet()) {
                TfliteModel loaded = JavacppTflite.load(e.getValue(), TfliteOptions.defaults());
                FaceEncoder encoder;
                try {
                    encoder = new FaceEncoder(loaded, "quantize-" + e.getKey().id(), false);
                } catch (RuntimeException refused) {
                    loaded.close();
                    throw refused;
                }
                encoders.add(encoder);
                byVariant.put(e.getKey(), encoder);
            }
            Map<Path, byte[]> crops = alignOnce(files, pairs);
            Path timedImage = crops.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> Failures.badInput("no face found in any image of " + folder));
            Map<WeightVariant, Double> latency = time(byVariant, crops.get(timedImage));
            Map<WeightVariant, Map<Path, Embedding>> embeddings = new LinkedHashMap<>();
            Map<String, Function<Path, Optional<Embedding>>> embedders = new LinkedHashMap<>();
            for (Map.Entry<WeightVariant, FaceEncoder> e : byVariant.entrySet()) {
                Map<Path, Embedding> seen = new HashMap<>();
                embeddings.put(e.getKey(), seen);
                embedders.put(e.getKey().id(), image -> embed(e.getValue(), crops.get(image), image, seen));
            }
            Map<String, EvalReport> reports;
            try (ProgressBar bar = new ProgressBar("embedding", (long) crops.size() * embedders.size())) {
                reports = Evaluator.evaluateAll(pairs, embedders, (done, total) -> bar.update(done));
            }
            List<Row> rows = rows(variantFiles, latency, reports, embeddings);
            print(source, pairs, crops, timedImage, reports.get(WeightVariant.FLOAT32.id()), rows, skipped);
            return Doorman.OK;
        } finally {
            encoders.forEach(FaceEncoder::close);
        }
    }

    private static Path defaultModel(ModelFiles files) {
        Path head = files.dir().resolve(ModelFiles.ENCODER_128);
        return Files.isRegularFile(head) ? head : files.require(ModelFiles.MOBILEFACENET);
    }

    /** Writes each variant to --out; one that does not apply to this model goes to {@code skipped} with the reason. */
    private Map<WeightVariant, Path> writeVariants(Path source, byte[] float32, List<WeightVariant> chosen,
                                                   Map<WeightVariant, String> skipped) throws IOException {
        Map<WeightVariant, Path> written = new LinkedHashMap<>();
        written.put(WeightVariant.FLOAT32, source);
        Files.createDirectories(out);
        String stem = source.getFileName().toString().replaceFirst("\\.tflite$", "");
        for (WeightVariant v : chosen) {
            if (v == WeightVariant.FLOAT32) continue;
            Path target = out.resolve(stem + "-" + v.id() + ".tflite");
            byte[] converted;
            try {
                converted = v.apply(float32);
            } catch (IllegalArgumentException e) {
                skipped.put(v, e.getMessage());
                continue;
            }
            Path tmp = out.resolve(target.getFileName() + ".tmp");
            Files.write(tmp, converted);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.put(v, target);
        }
        return written;
    }

    /** The names of --limit-people people on the chosen side, picked at random with --seed. */
    private Set<String> samplePeople(PersonSplit side) throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(folder)) {
            names = new ArrayList<>(s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).filter(side.people()).sorted().toList());
        }
        Collections.shuffle(names, new Random(seed));
        return Set.copyOf(names.subList(0, Math.min(limitPeople, names.size())));
    }

    /** Each distinct image's largest face as 112x112 BGR bytes, or null when it has none or cannot be read. */
    private static Map<Path, byte[]> alignOnce(ModelFiles files, List<FacePair> pairs) {
        List<Path> images = pairs.stream().flatMap(p -> Stream.of(p.first(), p.second())).distinct().sorted().toList();
        Map<Path, byte[]> crops = new LinkedHashMap<>();
        FaceAligner aligner = new FaceAligner();
        try (FacePipeline pipeline = FacePipeline.open(files, FacePipeline.Options.defaults());
             ProgressBar bar = new ProgressBar("detecting", images.size())) {
            for (Path image : images) {
                crops.put(image, crop(pipeline, aligner, image));
                bar.step();
            }
        }
        return crops;
    }

    private static byte[] crop(FacePipeline pipeline, FaceAligner aligner, Path image) {
        Mat bgr;
        try {
            bgr = ImageDecoder.read(image);
        } catch (ImageException e) {
            return null;
        }
        try {
            List<Face> faces = pipeline.detect(bgr);
            if (faces.isEmpty()) return null;
            Mat aligned = aligner.align(bgr, faces.get(0));
            try {
                byte[] pixels = new byte[FaceEncoder.SIZE * FaceEncoder.SIZE * 3];
                aligned.get(0, 0, pixels);
                return pixels;
            } finally {
                aligned.release();
            }
        } finally {
            bgr.release();
        }
    }

    private static Optional<Embedding> embed(FaceEncoder encoder, byte[] crop, Path image, Map<Path, Embedding> seen) {
        if (crop == null) return Optional.empty();
        Mat face = toMat(crop);
        try {
            Embedding e = encoder.encode(face);
            seen.put(image, e);
            return Optional.of(e);
        } finally {
            face.release();
        }
    }

    private static Mat toMat(byte[] crop) {
        Mat face = new Mat(FaceEncoder.SIZE, FaceEncoder.SIZE, CvType.CV_8UC3);
        face.put(0, 0, crop);
        return face;
    }

    /**
     * Median milliseconds per face for each variant. Runs are interleaved in rounds, so a busy spell on a shared
     * machine slows every variant alike instead of whichever happened to be measured then.
     */
    private Map<WeightVariant, Double> time(Map<WeightVariant, FaceEncoder> encoders, byte[] crop) {
        Mat face = toMat(crop);
        try {
            for (FaceEncoder e : encoders.values()) for (int i = 0; i < warmup; i++) e.encode(face);
            Map<WeightVariant, double[]> ms = new LinkedHashMap<>();
            encoders.keySet().forEach(v -> ms.put(v, new double[runs]));
            int done = 0;
            for (int round = 0; round < ROUNDS && done < runs; round++) {
                int upTo = round == ROUNDS - 1 ? runs : Math.min(runs, done + (runs + ROUNDS - 1) / ROUNDS);
                for (Map.Entry<WeightVariant, FaceEncoder> e : encoders.entrySet()) {
                    double[] times = ms.get(e.getKey());
                    for (int i = done; i < upTo; i++) {
                        long start = System.nanoTime();
                        e.getValue().encode(face);
                        times[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
                done = upTo;
            }
            Map<WeightVariant, Double> medians = new LinkedHashMap<>();
            ms.forEach((v, times) -> {
                Arrays.sort(times);
                medians.put(v, times.length % 2 == 1 ? times[times.length / 2]
                        : (times[times.length / 2 - 1] + times[times.length / 2]) / 2);
            });
            return medians;
        } finally {
            face.release();
        }
    }

    private static List<Row> rows(Map<WeightVariant, Path> files, Map<WeightVariant, Double> latency,
                                  Map<String, EvalReport> reports, Map<WeightVariant, Map<Path, Embedding>> embeddings)
            throws IOException {
        Map<Path, Embedding> reference = embeddings.get(WeightVariant.FLOAT32);
        double referenceAccuracy = reports.get(WeightVariant.FLOAT32.id()).metrics().accuracyMean();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<WeightVariant, Path> e : files.entrySet()) {
            WeightVariant v = e.getKey();
            EvalReport r = reports.get(v.id());
            double min = 1;
            double sum = 0;
            int n = 0;
            for (Map.Entry<Path, Embedding> emb : embeddings.get(v).entrySet()) {
                Embedding ref = reference.get(emb.getKey());
                if (ref == null) continue;
                // both are unit vectors: cosine = 1 - squared distance / 2
                double cos = 1 - emb.getValue().distance(ref) / 2;
                min = Math.min(min, cos);
                sum += cos;
                n++;
            }
            rows.add(new Row(v.id(), v.description(), e.getValue().toString(), Files.size(e.getValue()), latency.get(v),
                    r.metrics().accuracyMean(), r.metrics().accuracyStd(),
                    100 * (referenceAccuracy - r.metrics().accuracyMean()), r.metrics().auc(), r.metrics().eer(),
                    n == 0 ? Double.NaN : sum / n, n == 0 ? Double.NaN : min));
        }
        return rows;
    }

    private void print(Path source, List<FacePair> pairs, Map<Path, byte[]> crops, Path timedImage, EvalReport reference,
                       List<Row> rows, Map<WeightVariant, String> skipped) {
        long faces = crops.values().stream().filter(c -> c != null).count();
        String people = (limitPeople > 0 ? limitPeople + " " + split + " people picked with seed " + seed : "all " + split + " people")
                + " of " + folder;
        StringBuilder human = new StringBuilder();
        human.append(String.format(Locale.ROOT, "model %s; pairs from %s%n", source, people));
        human.append(String.format(Locale.ROOT, "%d of %d images had a face; %d pairs used (%d same person, %d different) of %d%n",
                faces, crops.size(), reference.pairsUsed(), reference.metrics().genuinePairs(),
                reference.metrics().impostorPairs(), pairs.size()));
        human.append(String.format(Locale.ROOT, "latency: median of %d runs per variant after %d warm-up, JavaCPP TFLite + XNNPACK, 1 thread, on the face of %s%n%n",
                runs, warmup, timedImage));
        human.append(String.format(Locale.ROOT, "%-14s %10s %10s %17s %9s %25s%n", "variant", "size", "ms/face",
                "accuracy", "loss", "cosine to fp32 mean / min"));
        for (Row r : rows) {
            human.append(String.format(Locale.ROOT, "%-14s %7.2f MB %10.2f %9.2f%% ± %4.2f %+6.2f pt %15.5f / %.5f%n",
                    r.variant(), r.bytes() / 1e6, r.medianMs(), 100 * r.accuracy(), 100 * r.accuracyStd(),
                    Math.round(r.lossPoints() * 100) / 100.0 + 0.0, r.meanCosine(), r.minCosine()));
        }
        human.append(System.lineSeparator());
        for (Row r : rows) human.append(String.format(Locale.ROOT, "%-14s %s: %s%n", r.variant(), r.file(), r.description()));
        skipped.forEach((v, why) -> human.append(String.format(Locale.ROOT, "%-14s skipped: %s%n", v.id(), why)));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", source.toString());
        result.put("folder", folder.toString());
        result.put("split", split);
        result.put("limitPeople", limitPeople);
        result.put("seed", seed);
        result.put("images", crops.size());
        result.put("imagesWithFace", faces);
        result.put("pairsTotal", pairs.size());
        result.put("pairsUsed", reference.pairsUsed());
        result.put("genuinePairs", reference.metrics().genuinePairs());
        result.put("impostorPairs", reference.metrics().impostorPairs());
        result.put("latencyImage", timedImage.toString());
        result.put("runs", runs);
        result.put("warmup", warmup);
        result.put("threads", 1);
        result.put("variants", rows);
        Map<String, String> skippedJson = new LinkedHashMap<>();
        skipped.forEach((v, why) -> skippedJson.put(v.id(), why));
        result.put("skipped", skippedJson);
        Output.print(spec.commandLine().getOut(), json, result, human.toString().stripTrailing());
    }
}
