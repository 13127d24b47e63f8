package doorman.lab.cli;

import doorman.cli.Doorman;
import doorman.cli.PipelineOptions;
import doorman.cli.Failures;
import doorman.embedding.Embedding;
import doorman.eval.PersonSplit;
import doorman.match.Calibration;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.train.CalibrationFitter;
import doorman.match.CalibrationJson;
import doorman.train.EmbeddingCache;
import doorman.modeltool.LinearHead;
import doorman.train.Reliability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Verification as binary classification: fits P(same) = sigmoid(a + b * distance) on pairs of the training
 * people, sets the accept margin at a target false accept rate and the unknown margin where P(same) falls
 * to 5 %, and reports how well P(same) holds on pairs of held-out people.
 */
@Command(name = "calibrate", description = "Fit P(same) and the accept/unknown margins for an encoder.")
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--root", required = true, description = "Folder per person (e.g. ../shared/datasets/lfw-train).")
    Path root;

    @Option(names = "--target-far", defaultValue = "1e-3", description = "False accept rate of the accept margin. Default: ${DEFAULT-VALUE}.")
    double targetFar;

    @Option(names = "--impostors", defaultValue = "50000", description = "Different-person pairs per side. Default: ${DEFAULT-VALUE}.")
    int impostors;

    @Option(names = "--cache", description = "Embedding cache file (default: ~/.cache/doorman/embeddings-192-<root>.bin).")
    Path cache;

    @Option(names = "--out", defaultValue = "models", description = "Folder for calibration-<space>.json (committed). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for sampling pairs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    CommandSpec spec;

    record Distances(double[] genuine, double[] impostor) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter text = spec.commandLine().getOut();
        if (pipelineOptions.flip) throw Failures.badInput("calibrate works on cached plain embeddings; drop --flip");
        EncoderChoice choice = pipelineOptions.options().encoder();
        LinearHead head = choice == EncoderChoice.HEAD_128 ? LinearHead.load(Path.of("models", "head-128.bin")) : null;
        Path cacheFile = cache != null ? cache : DatasetEmbeddings.defaultCache(root);
        Files.createDirectories(cacheFile.toAbsolutePath().getParent());
        EmbeddingCache all = DatasetEmbeddings.load(root, PersonSplit.ALL, pipelineOptions, cacheFile, spec.commandLine().getErr());
        Distances fit = distances(all, PersonSplit.TRAIN, head, seed);
        Distances check = distances(all, PersonSplit.HELDOUT, head, seed + 1);
        Calibration calibration = CalibrationFitter.fit(choice.spaceName(), fit.genuine(), fit.impostor(), targetFar);
        Files.createDirectories(out);
        Path file = CalibrationJson.forSpace(out, choice.spaceName());
        CalibrationJson.write(calibration, file);
        Path live = pipelineOptions.modelFiles().dir().resolve(file.getFileName());
        if (!live.toAbsolutePath().equals(file.toAbsolutePath())) CalibrationJson.write(calibration, live);
        // P(same) is fitted with both classes weighted equally (a claim "this is X" as likely true as false), so its
        // reliability is read on held-out pairs with that same mix: every genuine pair and as many random impostors.
        double[] balancedImpostors = java.util.Arrays.copyOf(check.impostor(), Math.min(check.impostor().length, check.genuine().length));
        Reliability reliability = Reliability.of(calibration, check.genuine(), balancedImpostors);
        text.printf(Locale.ROOT, "%s: fitted on %d same / %d different pairs of training people%n", choice.spaceName(),
                fit.genuine().length, fit.impostor().length);
        text.printf(Locale.ROOT, "  P(same) = 1 / (1 + exp(-(%.4f + %.4f * distance)))%n", calibration.intercept(), calibration.slope());
        text.printf(Locale.ROOT, "  accept distance  %.4f (FAR %.0e on training pairs)%n", calibration.acceptDistance(), targetFar);
        text.printf(Locale.ROOT, "  unknown distance %.4f (P(same) = %.2f)%n", calibration.unknownDistance(), CalibrationFitter.UNKNOWN_PROBABILITY);
        text.printf(Locale.ROOT, "  held-out people: %d same / %d different pairs; FAR at the accept distance %.2e, TAR %.2f%%%n",
                check.genuine().length, check.impostor().length, rate(check.impostor(), calibration.acceptDistance()),
                100 * rate(check.genuine(), calibration.acceptDistance()));
        text.printf(Locale.ROOT, "reliability of P(same) on held-out pairs, %d same and %d different:%n",
                check.genuine().length, balancedImpostors.length);
        text.println(reliability.table());
        text.println("wrote " + file + (live.equals(file) ? "" : " and " + live));
        text.flush();
        return Doorman.OK;
    }

    private Distances distances(EmbeddingCache all, PersonSplit side, LinearHead head, long pairSeed) {
        List<EmbeddingCache.Entry> entries = all.entries().stream().filter(e -> side.people().test(e.person())).toList();
        float[][] vectors = new float[entries.size()][];
        for (int i = 0; i < vectors.length; i++) {
            float[] raw = entries.get(i).embedding();
            vectors[i] = head == null ? raw : head.apply(raw);
        }
        List<Double> genuine = new ArrayList<>();
        for (int i = 0, start = 0; i <= entries.size(); i++) {
            if (i == entries.size() || !entries.get(i).person().equals(entries.get(start).person())) {
                int count = 0;
                for (int a = start; a < i && count < 45; a++)
                    for (int b = a + 1; b < i && count < 45; b++, count++) genuine.add(distance(vectors[a], vectors[b]));
                start = i;
            }
        }
        Random random = new Random(pairSeed);
        double[] impostor = new double[impostors];
        for (int n = 0; n < impostors; ) {
            int a = random.nextInt(entries.size()), b = random.nextInt(entries.size());
            if (entries.get(a).person().equals(entries.get(b).person())) continue;
            impostor[n++] = distance(vectors[a], vectors[b]);
        }
        return new Distances(genuine.stream().mapToDouble(Double::doubleValue).toArray(), impostor);
    }

    private static double distance(float[] a, float[] b) {
        return Embedding.squaredDistance(a, b);
    }

    private static double rate(double[] distances, double threshold) {
        long within = java.util.Arrays.stream(distances).filter(d -> d <= threshold).count();
        return (double) within / distances.length;
    }
}
