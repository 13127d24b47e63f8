package doorman.lab.cli;

import doorman.cli.Doorman;
import doorman.cli.PipelineOptions;
import doorman.cli.Failures;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.eval.LivenessMetrics;
import doorman.eval.RocPlot;
import doorman.liveness.LivenessCalibration;
import doorman.liveness.MiniFasNetLiveness;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.tflite.Backend;
import doorman.tflite.TfliteOptions;
import doorman.vision.Face;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import doorman.vision.LivenessChecker;
import doorman.vision.LivenessModel;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Presentation-attack detection on folders with live/ and spoof/ images: the largest BlazeFace face of each image
 * is scored by each liveness model; APCER and BPCER at the model's threshold, AUC, APCER at BPCER 1 % and 5 %, and
 * milliseconds per face. With --calibrate, the new model's threshold is chosen on all folders pooled, at the
 * target BPCER, and written to the calibration file the daemon reads.
 */
@Command(name = "liveness", description = {"Measure liveness (anti-spoofing) models on live/ and spoof/ images.",
        "  doorman eval liveness --folder DIR [--folder DIR2] [--model new,old] [--plot roc.png]",
        "  doorman eval liveness --folder DIR ... --calibrate models/calibration-liveness.json [--target-bpcer 0.02]"})
final class EvalLivenessCommand implements Callable<Integer> {

    static final String NEW = "new", OLD = "old";

    @Option(names = "--folder", required = true, description = "A folder with live/ and spoof/ subfolders (repeatable).")
    List<Path> folders;

    @Option(names = "--model", split = ",", defaultValue = "new",
            description = "Models side by side: new (MiniFASNet V2+V1SE), old (FaceAntiSpoofing). Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(names = "--threshold", description = "The new model's threshold (default: the calibration file's).")
    Double threshold;

    @Option(names = "--calibrate", description = "Choose the new model's threshold on all folders pooled and write it here.")
    Path calibrate;

    @Option(names = "--target-bpcer", defaultValue = "0.02", description = "Live faces a calibrated threshold may reject. Default: ${DEFAULT-VALUE}.")
    double targetBpcer;

    @Option(names = "--plot", description = "Write the ROC curves (APCER vs 1 - BPCER) to this PNG file.")
    Path plot;

    @Option(names = "--cue", description = "Also score the new model combined with an extra cue: rectangle (a straight frame around the face counts as an attack).")
    String cue;

    @Option(names = "--scores", description = "Also write every face's score to this CSV (set, label, image, image and face size, model, score), e.g. to study extra cues.")
    Path scoresCsv;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    private final List<String> csv = new ArrayList<>();

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    CommandSpec spec;

    /** A model under test: its live score (higher = live), its own threshold, and time spent. */
    private record Scorer(String name, LivenessModel model, boolean invert, double threshold, long[] nanos, int[] calls,
                          java.util.function.BiPredicate<Mat, Face> attackCue) {
        double score(Mat bgr, Face face) {
            long start = System.nanoTime();
            double s = model.check(bgr, face).score();
            if (attackCue != null && attackCue.test(bgr, face)) s = 0;
            nanos[0] += System.nanoTime() - start;
            calls[0]++;
            // the old model's leaf score is lower for live faces: 1 - score puts both on "higher = live"
            return invert ? 1 - s : s;
        }
    }

    /** Scores of one folder (or all pooled) for one model. */
    private record Scores(List<Double> live, List<Double> spoof) {
        Scores() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!(targetBpcer > 0 && targetBpcer < 0.5)) throw new Failures.UserError(Doorman.USAGE, "--target-bpcer must lie in (0, 0.5), got " + targetBpcer);
        for (Path f : folders)
            if (!Files.isDirectory(f.resolve("live")) || !Files.isDirectory(f.resolve("spoof")))
                throw Failures.badInput(f + " needs live/ and spoof/ subfolders");
        ModelFiles files = pipelineOptions.modelFiles();
        List<Scorer> scorers = new ArrayList<>();
        try (FacePipeline pipeline = FacePipeline.open(files, pipelineOptions.options())) {
            for (String m : models) scorers.add(open(m.trim().toLowerCase(Locale.ROOT), files));
            if (cue != null) {
                if (!cue.equals("rectangle")) throw new Failures.UserError(Doorman.USAGE, "unknown cue '" + cue + "' (use rectangle)");
                Scorer base = open(NEW, files);
                scorers.add(new Scorer("new + rectangle cue", base.model(), false, base.threshold(), new long[1], new int[1],
                        doorman.eval.RectangleEdgeCue::framed));
            }
            // folder -> model -> scores
            Map<String, Map<String, Scores>> results = new LinkedHashMap<>();
            Map<String, int[]> noFace = new LinkedHashMap<>();
            for (Path folder : folders) {
                Map<String, Scores> byModel = new LinkedHashMap<>();
                for (Scorer s : scorers) byModel.put(s.name(), new Scores());
                int[] missing = new int[2];
                List<Path> images = images(folder.resolve("live"));
                List<Path> attacks = images(folder.resolve("spoof"));
                try (ProgressBar bar = new ProgressBar("scoring " + folder.getFileName(), images.size() + attacks.size())) {
                    int done = 0;
                    for (boolean live : new boolean[] {true, false}) {
                        for (Path image : live ? images : attacks) {
                            score(pipeline, folder.getFileName().toString(), image, scorers, byModel, live, missing);
                            bar.update(++done);
                        }
                    }
                }
                results.put(folder.getFileName().toString(), byModel);
                noFace.put(folder.getFileName().toString(), missing);
            }
            if (folders.size() > 1) results.put("all folders", pooled(results, scorers));
            Map<String, Map<String, LivenessMetrics>> metrics = new LinkedHashMap<>();
            results.forEach((folder, byModel) -> {
                Map<String, LivenessMetrics> m = new LinkedHashMap<>();
                for (Scorer s : scorers) {
                    Scores sc = byModel.get(s.name());
                    m.put(s.name(), LivenessMetrics.of(array(sc.live()), array(sc.spoof()), s.threshold()));
                }
                metrics.put(folder, m);
            });
            if (calibrate != null) calibrateNew(results, scorers);
            if (scoresCsv != null) {
                List<String> lines = new ArrayList<>(List.of("set,label,image,imageWidth,imageHeight,faceX,faceY,faceWidth,faceHeight,model,score"));
                lines.addAll(csv);
                Files.write(scoresCsv, lines);
            }
            if (plot != null) plot(metrics);
            print(metrics, noFace, scorers);
            return Doorman.OK;
        } finally {
            scorers.forEach(s -> s.model().close());
        }
    }

    private Scorer open(String name, ModelFiles files) throws IOException {
        return switch (name) {
            case NEW -> {
                double t = threshold != null ? threshold
                        : Files.isRegularFile(files.dir().resolve(LivenessCalibration.FILE_NAME))
                        ? LivenessCalibration.read(files.dir().resolve(LivenessCalibration.FILE_NAME)).threshold() : 0.5;
                yield new Scorer("new: MiniFASNet V2+V1SE", MiniFasNetLiveness.load(files, t), false, t, new long[1], new int[1], null);
            }
            case OLD -> new Scorer("old: FaceAntiSpoofing", new LivenessChecker(Backend.JAVACPP.load(
                    files.require(ModelFiles.ANTI_SPOOFING), TfliteOptions.defaults())), true,
                    1 - LivenessChecker.DEFAULT_THRESHOLD, new long[1], new int[1], null);
            default -> throw new Failures.UserError(Doorman.USAGE, "unknown liveness model '" + name + "' (use new or old)");
        };
    }

    private void score(FacePipeline pipeline, String set, Path image, List<Scorer> scorers, Map<String, Scores> byModel,
                       boolean live, int[] missing) {
        Mat bgr;
        try {
            bgr = ImageDecoder.read(image);
        } catch (ImageException e) {
            missing[live ? 0 : 1]++;
            return;
        }
        try {
            List<Face> faces = pipeline.detect(bgr);
            if (faces.isEmpty()) {
                missing[live ? 0 : 1]++;
                return;
            }
            for (Scorer s : scorers) {
                double score = s.score(bgr, faces.get(0));
                Scores sc = byModel.get(s.name());
                (live ? sc.live() : sc.spoof()).add(score);
                Face f = faces.get(0);
                csv.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%s,%.6f", set, live ? "live" : "spoof",
                        image.getFileName(), bgr.cols(), bgr.rows(), f.x(), f.y(), f.width(), f.height(), s.name().split(":")[0], score));
            }
        } finally {
            bgr.release();
        }
    }

    private static Map<String, Scores> pooled(Map<String, Map<String, Scores>> results, List<Scorer> scorers) {
        Map<String, Scores> all = new LinkedHashMap<>();
        for (Scorer s : scorers) {
            Scores pooled = new Scores();
            for (Map<String, Scores> byModel : results.values()) {
                pooled.live().addAll(byModel.get(s.name()).live());
                pooled.spoof().addAll(byModel.get(s.name()).spoof());
            }
            all.put(s.name(), pooled);
        }
        return all;
    }

    private void calibrateNew(Map<String, Map<String, Scores>> results, List<Scorer> scorers) throws IOException {
        Scorer fresh = scorers.stream().filter(s -> !s.invert()).findFirst()
                .orElseThrow(() -> new Failures.UserError(Doorman.USAGE, "--calibrate needs the new model in --model"));
        Scores all = folders.size() > 1 ? results.get("all folders").get(fresh.name()) : results.values().iterator().next().get(fresh.name());
        LivenessMetrics.OperatingPoint p = LivenessMetrics.atBpcer(array(all.live()), array(all.spoof()), targetBpcer);
        String on = String.join(" + ", folders.stream().map(f -> f.getFileName().toString()).toList());
        new LivenessCalibration("minifasnet-v2+v1se", p.threshold(), targetBpcer, on).write(calibrate);
        spec.commandLine().getOut().printf(Locale.ROOT, "calibrated threshold %.4f (BPCER %.2f %%, APCER %.2f %% on %s) written to %s%n",
                p.threshold(), 100 * p.bpcer(), 100 * p.apcer(), on, calibrate);
    }

    private void plot(Map<String, Map<String, LivenessMetrics>> metrics) throws IOException {
        List<RocPlot.Curve> curves = new ArrayList<>();
        metrics.forEach((folder, byModel) -> byModel.forEach((model, m) -> curves.add(new RocPlot.Curve(model + ", " + folder, m.roc()))));
        RocPlot.write(plot, "Liveness ROC (FAR = APCER, TAR = 1 - BPCER)", curves);
    }

    private void print(Map<String, Map<String, LivenessMetrics>> metrics, Map<String, int[]> noFace, List<Scorer> scorers) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            metrics.forEach((folder, byModel) -> {
                Map<String, Object> f = new LinkedHashMap<>();
                byModel.forEach((model, m) -> f.put(model, Map.of("live", m.live(), "attacks", m.attacks(),
                        "threshold", m.threshold(), "apcer", m.apcer(), "bpcer", m.bpcer(), "auc", m.auc(),
                        "apcerAtBpcer1", m.atBpcer1().apcer(), "apcerAtBpcer5", m.atBpcer5().apcer())));
                root.put(folder, f);
            });
            Map<String, Double> ms = new LinkedHashMap<>();
            for (Scorer s : scorers) ms.put(s.name(), s.calls()[0] == 0 ? Double.NaN : s.nanos()[0] / 1e6 / s.calls()[0]);
            root.put("msPerFace", ms);
            root.put("noFace", noFace);
            if (plot != null) root.put("plot", plot.toString());
            out.println(new ObjectMapper().writeValueAsString(root));
        } else {
            out.println("| set | model | live / attack faces | threshold | APCER | BPCER | AUC | APCER @ BPCER 1 % | APCER @ BPCER 5 % |");
            out.println("|---|---|---|---|---|---|---|---|---|");
            metrics.forEach((folder, byModel) -> byModel.forEach((model, m) -> out.printf(Locale.ROOT,
                    "| %s | %s | %d / %d | %.3f | %.1f %% | %.1f %% | %.4f | %.1f %% | %.1f %% |%n", folder, model, m.live(),
                    m.attacks(), m.threshold(), 100 * m.apcer(), 100 * m.bpcer(), m.auc(), 100 * m.atBpcer1().apcer(),
                    100 * m.atBpcer5().apcer())));
            noFace.forEach((folder, n) -> out.printf("%s: no face found in %d live and %d attack images (left out)%n", folder, n[0], n[1]));
            for (Scorer s : scorers)
                out.printf(Locale.ROOT, "%s: %.2f ms per face (one thread, %d faces)%n", s.name(), s.nanos()[0] / 1e6 / Math.max(1, s.calls()[0]), s.calls()[0]);
            if (plot != null) out.println("ROC curves written to " + plot);
        }
        out.flush();
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|bmp)")).sorted().toList();
        }
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
