package doorman.lab.cli;

import doorman.cli.Calibrations;
import doorman.cli.Doorman;
import doorman.cli.PipelineOptions;
import doorman.cli.Failures;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.eval.CameraJitter;
import doorman.eval.DoorEvalReport;
import doorman.eval.DoorEvaluation;
import doorman.eval.PersonSplit;
import doorman.eval.StrangerCurveFit;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.StrangerCurve;
import doorman.match.StrangerCurves;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.train.EmbeddingCache;
import doorman.modeltool.LinearHead;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import org.opencv.core.Mat;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * The open-set door evaluation ({@link DoorEvaluation}) on the held-out side of a folder-per-person dataset, with the
 * 128-d encoder (the cached MobileFaceNet embeddings with our head applied, as {@code train} and {@code calibrate}
 * use them). The stranger curve of the after-decision is measured on the training side, never on the people tested.
 */
@Command(name = "door", description = {"Open-set door evaluation: households, genuine and stranger visits, per frame and per visit.",
        "  doorman eval door --folder DIR [--households 1,5,10,100] [--photos 1,3] [--json]"})
final class DoorEvalCommand implements Callable<Integer> {

    @Option(names = "--folder", required = true, description = "A folder per person (e.g. ../shared/datasets/lfw-train).")
    Path folder;

    @Option(names = "--households", split = ",", defaultValue = "1,5,10,100", description = "Household sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> households;

    @Option(names = "--photos", split = ",", defaultValue = "1,3", description = "Photos enrolled per person. Default: ${DEFAULT-VALUE}.")
    List<Integer> photos;

    @Option(names = "--repeats", defaultValue = "10", description = "Households drawn per setting. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--frames", defaultValue = "3", description = "Frames per visit (the policy's streak). Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--target", defaultValue = "1e-4", description = "Stranger accept per visit the after-decision aims at. Default: ${DEFAULT-VALUE}.")
    double target;

    @Option(names = "--references", defaultValue = "centroid", description = "How a person is compared: centroid or templates. Default: ${DEFAULT-VALUE}.")
    String references;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for households and perturbations. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--cache", description = "Embedding cache (default: ~/.cache/doorman/embeddings-192-<folder>.bin).")
    Path cache;

    @Option(names = "--write-curve", description = "Also write the training side's stranger curve into this models folder.")
    Path writeCurve;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!(target > 0 && target < 1)) throw new Failures.UserError(Doorman.USAGE, "--target must be in (0, 1), got " + target);
        if (frames < 1 || repeats < 1) throw new Failures.UserError(Doorman.USAGE, "--frames and --repeats must be >= 1");
        if (!Files.isDirectory(folder)) throw Failures.badInput("not a folder: " + folder);
        DoorDecision.References refs = switch (references.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "centroid" -> DoorDecision.References.CENTROID;
            case "templates" -> DoorDecision.References.TEMPLATES;
            default -> throw new Failures.UserError(Doorman.USAGE, "--references must be centroid or templates");
        };
        PrintWriter err = spec.commandLine().getErr();
        ModelFiles models = pipelineOptions.modelFiles();
        String space = EncoderChoice.HEAD_128.spaceName();
        Calibration calibration = Calibrations.forSpace(models, space);
        LinearHead head = LinearHead.load(Path.of("models", "head-128.bin"));
        Path cacheFile = cache != null ? cache : DatasetEmbeddings.defaultCache(folder);
        Files.createDirectories(cacheFile.toAbsolutePath().getParent());
        EmbeddingCache all = DatasetEmbeddings.load(folder, PersonSplit.ALL, pipelineOptions, cacheFile, err);

        List<float[]> trainRows = new ArrayList<>();
        List<String> trainPeople = new ArrayList<>();
        List<EmbeddingCache.Entry> heldOut = new ArrayList<>();
        for (EmbeddingCache.Entry e : all.entries()) {
            if (PersonSplit.isHeldOut(e.person())) heldOut.add(e);
            else {
                trainRows.add(head.apply(e.embedding()));
                trainPeople.add(e.person());
            }
        }
        err.println("doorman: measuring the stranger curve on " + trainRows.size() + " training-side images");
        StrangerCurves curve = StrangerCurveFit.fit(space, trainRows.toArray(float[][]::new), ids(trainPeople), 3);
        if (writeCurve != null) {
            Path file = StrangerCurve.forSpace(writeCurve, space);
            StrangerCurveFit.write(curve, "different-person comparisons of the training side (PersonSplit, at most " + StrangerCurveFit.PER_PERSON + " photos a person) of "
                    + folder.toAbsolutePath().normalize().getFileName() + ", 128-d head", file);
            err.println("doorman: wrote " + file);
        }

        Map<String, List<float[]>> nearDup = nearDuplicates(heldOut, models, head, err);
        List<DoorEvaluation.Image> images = heldOut.stream().map(e -> new DoorEvaluation.Image(e.person(),
                head.apply(e.embedding()), nearDup.getOrDefault(e.relativePath(), List.of()))).toList();

        List<DoorEvaluation.Result> results = new ArrayList<>();
        long total = (long) households.size() * photos.size() * repeats;
        try (ProgressBar bar = new ProgressBar("households", total)) {
            long[] done = {0};
            for (int k : photos)
                for (int n : households) {
                    DoorEvaluation.Settings settings = new DoorEvaluation.Settings(n, k, repeats, frames, seed);
                    long before = done[0];
                    results.add(DoorEvaluation.run(images, settings, calibration, curve, target, refs,
                            rep -> bar.update(before + rep)));
                    done[0] = before + repeats;
                    bar.update(done[0]);
                }
        }
        DoorEvalReport report = new DoorEvalReport(folder.getFileName().toString(), images.size(),
                images.stream().map(DoorEvaluation.Image::person).distinct().count(), CameraJitter.DEFAULT.describe(),
                calibration, curve, target, refs, results);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? new ObjectMapper().writeValueAsString(report.toJson()) : report.toText());
        out.flush();
        return Doorman.OK;
    }

    private static int[] ids(List<String> people) {
        Map<String, Integer> index = new LinkedHashMap<>();
        return people.stream().mapToInt(p -> index.computeIfAbsent(p, x -> index.size())).toArray();
    }

    /**
     * {@code frames} perturbed copies of every held-out photo through the real pipeline (detect, align, embed),
     * cached per seed; a copy in which no face is found is left out.
     */
    private Map<String, List<float[]>> nearDuplicates(List<EmbeddingCache.Entry> heldOut, ModelFiles models, LinearHead head,
                                                      PrintWriter err) throws IOException {
        FacePipeline.Options raw = pipelineOptions.options().withEncoder(EncoderChoice.RAW_192);
        EmbeddingCache.Key key = EmbeddingCache.Key.of(models.require(raw.encoder().modelFile()), folder);
        String name = folder.toAbsolutePath().normalize().getFileName().toString();
        Path file = Path.of(System.getProperty("user.home"), ".cache", "doorman",
                "door-neardup-192-" + name + "-seed" + seed + "-frames" + frames + ".bin");
        EmbeddingCache cached = EmbeddingCache.loadIfFresh(file, key).orElse(null);
        if (cached == null) {
            List<EmbeddingCache.Entry> entries = new ArrayList<>();
            int missed = 0;
            Random random = new Random(seed);
            try (FacePipeline pipeline = FacePipeline.open(models, raw);
                 ProgressBar bar = new ProgressBar("perturbed frames", (long) heldOut.size() * frames)) {
                for (EmbeddingCache.Entry e : heldOut) {
                    Mat image = ImageDecoder.read(folder.resolve(e.relativePath()));
                    try {
                        for (int f = 0; f < frames; f++) {
                            bar.step();
                            Mat jittered = CameraJitter.DEFAULT.apply(image, random);
                            try {
                                FacePipeline.FaceEmbedding face = pipeline.largest(jittered);
                                if (face == null) missed++;
                                else entries.add(new EmbeddingCache.Entry(e.relativePath() + "#" + f, e.person(), face.embedding().toArray()));
                            } catch (ImageException ex) {
                                missed++;
                            } finally {
                                jittered.release();
                            }
                        }
                    } finally {
                        image.release();
                    }
                }
            }
            if (missed > 0) err.println("doorman: no face in " + missed + " perturbed frame(s); their visits are shorter");
            cached = new EmbeddingCache(key, 192, entries);
            cached.save(file);
            err.println("doorman: cached " + entries.size() + " perturbed-frame embeddings in " + file);
        } else {
            err.println("doorman: using cached perturbed frames " + file);
        }
        Map<String, List<float[]>> byImage = new LinkedHashMap<>();
        for (EmbeddingCache.Entry e : cached.entries()) {
            String path = e.relativePath().substring(0, e.relativePath().lastIndexOf('#'));
            byImage.computeIfAbsent(path, p -> new ArrayList<>()).add(head.apply(e.embedding()));
        }
        return byImage;
    }
}
