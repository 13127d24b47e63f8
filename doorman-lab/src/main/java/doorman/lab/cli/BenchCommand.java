package doorman.lab.cli;

import doorman.cli.Doorman;
import doorman.cli.Images;
import doorman.cli.Output;
import doorman.cli.Failures;
import doorman.embedding.Embedding;
import doorman.embedding.FaceEncoder;
import doorman.gallery.Person;
import doorman.gallery.Template;
import doorman.match.Calibration;
import doorman.match.Matcher;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.tflite.Backend;
import doorman.tflite.TfliteOptions;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.ImageDecoder;
import doorman.camera.OpenCv;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Times each stage of the still-image pipeline on one thread: decode, detect, align, embed (per backend and
 * encoder, side by side) and 1:K match over a synthetic gallery, liveness, and one whole door frame. Reports median,
 * mean and p95 per call. By default what the door runs: the 128-d encoder on JavaCPP and MiniFASNet.
 */
@Command(name = "stages", mixinStandardHelpOptions = true, description = "Benchmark each pipeline stage on one photo (the door's encoder and liveness by default).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A photo with a face (JPEG or PNG).")
    Path image;

    @Option(names = "--iterations", defaultValue = "200", description = "Timed calls per stage. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed calls first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--templates", defaultValue = "10000", description = "Gallery size for the match stage. Default: ${DEFAULT-VALUE}.")
    int templates;

    @Option(names = "--threads", defaultValue = "1", description = "Interpreter threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--backends", split = ",", defaultValue = "javacpp", description = "Backends to time (javacpp, djl). Default: ${DEFAULT-VALUE}.")
    List<String> backends;

    @Option(names = "--encoders", split = ",", defaultValue = "128", description = "Encoders to time (128, the door's; 192). Default: ${DEFAULT-VALUE}.")
    List<String> encoders;

    @Option(names = "--liveness", split = ",", defaultValue = "new",
            description = "Liveness models to time: new (MiniFASNet V2+V1SE), old (FaceAntiSpoofing); none to skip. Default: ${DEFAULT-VALUE}.")
    List<String> liveness;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--models", description = "Folder with the model files.")
    Path models;

    @Spec
    CommandSpec spec;

    record Stage(String name, double medianMs, double meanMs, double p95Ms) {}

    @Override
    public Integer call() {
        OpenCv.load();
        ModelFiles files = models == null ? ModelFiles.locate() : new ModelFiles(models);
        byte[] bytes = Images.readBounded(image);
        TfliteOptions tflite = TfliteOptions.defaults().withThreads(threads);
        List<Stage> stages = new ArrayList<>();
        stages.add(time("decode", () -> ImageDecoder.decode(bytes), Mat::release));
        Mat bgr = ImageDecoder.decode(bytes);
        try (BlazeFaceDetector detector = new BlazeFaceDetector(Backend.JAVACPP.load(files.require(BlazeFaceDetector.Range.FULL.modelFile()), tflite),
                BlazeFaceDetector.Range.FULL)) {
            stages.add(time("detect (full range, javacpp)", () -> detector.detect(bgr), r -> {}));
            List<Face> faces = detector.detect(bgr);
            if (faces.isEmpty()) throw Failures.badInput(image + ": no face found");
            FaceAligner aligner = new FaceAligner();
            stages.add(time("align", () -> aligner.align(bgr, faces.get(0)), Mat::release));
            Mat aligned = aligner.align(bgr, faces.get(0));
            Embedding sample = null;
            for (String enc : encoders) {
                EncoderChoice choice = EncoderChoice.parse(enc);
                for (String b : backends) {
                    Backend backend = Backend.parse(b);
                    try (FaceEncoder encoder = new FaceEncoder(backend.load(files.require(choice.modelFile()), tflite), choice.spaceName(), false)) {
                        stages.add(time("embed " + choice.spaceName() + " (" + backend.name().toLowerCase() + ")",
                                () -> encoder.encode(aligned), r -> {}));
                        if (sample == null || sample.dimension() != encoder.dimension()) sample = encoder.encode(aligned);
                    }
                }
            }
            aligned.release();
            if (sample != null) stages.add(matchStage(sample));
            stages.addAll(LivenessBench.stages(files, tflite, bgr, faces.get(0), detector, liveness, this::time));
        } finally {
            bgr.release();
        }
        print(stages);
        return Doorman.OK;
    }

    private Stage matchStage(Embedding probe) {
        Random random = new Random(42);
        int people = Math.max(1, templates / 5);
        List<Person> persons = new ArrayList<>();
        for (int p = 0; p < people; p++) persons.add(new Person(p + 1, "person-" + p, Instant.EPOCH, true));
        List<Template> gallery = new ArrayList<>();
        for (int t = 0; t < templates; t++) {
            float[] v = new float[probe.dimension()];
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
            gallery.add(new Template(t + 1, (t % people) + 1, Embedding.normalised(v), "bench", "sha" + t, 1, Instant.EPOCH));
        }
        Matcher matcher = new Matcher(new Calibration("bench", -10, 10, 1, 1.2, 1e-3), persons, gallery);
        return time("match 1:K over " + templates + " templates", () -> matcher.identify(probe), r -> {});
    }

    <T> Stage time(String name, Supplier<T> call, java.util.function.Consumer<T> cleanup) {
        for (int i = 0; i < warmup; i++) cleanup.accept(call.get());
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            T result = call.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
            cleanup.accept(result);
        }
        Arrays.sort(ms);
        return new Stage(name, ms[ms.length / 2], Arrays.stream(ms).average().orElse(0), ms[(int) Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]);
    }

    private void print(List<Stage> stages) {
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder human = new StringBuilder(String.format("%-44s %10s %10s %10s%n", "stage (1 call, " + threads + " thread)", "median ms", "mean ms", "p95 ms"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Stage s : stages) {
            human.append(String.format("%-44s %10.3f %10.3f %10.3f%n", s.name(), s.medianMs(), s.meanMs(), s.p95Ms()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", s.name());
            row.put("medianMs", s.medianMs());
            row.put("meanMs", s.meanMs());
            row.put("p95Ms", s.p95Ms());
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", image.toString());
        result.put("threads", threads);
        result.put("iterations", iterations);
        result.put("stages", rows);
        Output.print(out, json, result, human.toString().stripTrailing());
    }
}
