package doorman.lab.cli;

import doorman.cli.Doorman;
import doorman.cli.PipelineOptions;
import doorman.cli.Failures;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.embedding.Embedding;
import doorman.eval.EvalReport;
import doorman.eval.Evaluator;
import doorman.eval.FacePair;
import doorman.eval.FolderPairs;
import doorman.eval.PairsFile;
import doorman.eval.PixelBaseline;
import doorman.eval.PersonSplit;
import doorman.eval.RocPlot;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.modeltool.LinearHead;
import doorman.vision.ImageException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Verification accuracy on labelled pairs: an LFW-style pairs file, or every genuine pair and a sample of
 * impostor pairs from a folder per person. Several encoders can be compared on the same pairs.
 */
@Command(name = "eval", subcommands = {DoorEvalCommand.class, EvalLivenessCommand.class},
        description = {"Measure verification accuracy on face pairs.",
        "  doorman eval --pairs FILE --root DIR", "  doorman eval --folder DIR [--impostors N]",
        "  doorman eval door --folder DIR   (the open-set door evaluation)",
        "  doorman eval liveness --folder DIR (anti-spoofing; see its --help)"})
final class EvalCommand implements Callable<Integer> {

    static final class Source {
        @ArgGroup(exclusive = false)
        PairsSource pairs;

        @Option(names = "--folder", description = "A folder per person; all genuine pairs and sampled impostors.")
        Path folder;
    }

    static final class PairsSource {
        @Option(names = "--pairs", required = true, description = "LFW-style pairs file.")
        Path file;

        @Option(names = "--root", required = true, description = "Folder the pairs file's names are relative to.")
        Path root;
    }

    // optional so that the subcommands (eval door, eval liveness) parse; call() insists on one
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--impostors", defaultValue = "3000", description = "Impostor pairs sampled with --folder. Default: ${DEFAULT-VALUE}.")
    int impostors;

    @Option(names = "--split", defaultValue = "all", description = "People to use: all, train or heldout (never seen by 'doorman train'). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for sampling pairs and folds. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--compare", split = ",", description = "Encoders to compare side by side: pixels, 192, pca128, 128 (e.g. pixels,192,128); default: --encoder if given, else 192,128.")
    List<String> compare;

    @Option(names = "--plot", description = "Write the ROC curve(s) to this PNG file.")
    Path plot;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (source == null)
            throw new Failures.UserError(Doorman.USAGE, "give --pairs FILE --root DIR, or --folder DIR (or use 'doorman eval door' or 'doorman eval liveness')");
        PersonSplit side = PersonSplit.parse(split);
        List<FacePair> pairs = source.folder != null
                ? FolderPairs.sample(source.folder, impostors, FolderPairs.DEFAULT_GENUINE_PER_PERSON, seed, side.people())
                : PairsFile.read(source.pairs.file, source.pairs.root).stream().filter(side::keeps).toList();
        if (pairs.isEmpty()) throw Failures.badInput("no pairs left for split " + split);
        // Without --compare or --encoder, both embeddings are measured side by side on the same pairs.
        boolean encoderGiven = spec.commandLine().getParseResult().hasMatchedOption("--encoder");
        List<String> encoders = compare != null && !compare.isEmpty() ? compare
                : encoderGiven ? List.of(pipelineOptions.encoder) : List.of("192", "128");
        List<FacePipeline> pipelines = new ArrayList<>();
        Map<String, Function<Path, Optional<Embedding>>> embedders = new LinkedHashMap<>();
        try {
            for (String encoder : encoders) {
                String backend = " (" + pipelineOptions.options().backend().name().toLowerCase() + ")";
                if (encoder.trim().equalsIgnoreCase("pixels")) {
                    embedders.put(PixelBaseline.NAME, PixelBaseline::embed);
                    continue;
                }
                if (encoder.trim().equalsIgnoreCase("pca128")) {
                    // PCA of the 192-d space, applied in Java: the baseline the triplet head must match or beat
                    LinearHead pca = LinearHead.load(Path.of("models", "pca-128.bin"));
                    FacePipeline raw = FacePipeline.open(pipelineOptions.modelFiles(), pipelineOptions.options().withEncoder(EncoderChoice.RAW_192));
                    pipelines.add(raw);
                    embedders.put("pca-128 of mobilefacenet-192" + backend,
                            image -> embedLargest(raw, image).map(e -> Embedding.normalised(pca.apply(e.values()))));
                    continue;
                }
                FacePipeline pipeline = FacePipeline.open(pipelineOptions.modelFiles(),
                        pipelineOptions.options().withEncoder(EncoderChoice.parse(encoder)));
                pipelines.add(pipeline);
                embedders.put(pipeline.encoderName() + backend, image -> embedLargest(pipeline, image));
            }
            Map<String, EvalReport> reports;
            long images = pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.first(), p.second())).distinct().count();
            try (ProgressBar bar = new ProgressBar("embedding", images * embedders.size())) {
                reports = Evaluator.evaluateAll(pairs, embedders, (done, total) -> bar.update(done));
            }
            if (plot != null) {
                List<RocPlot.Curve> curves = reports.values().stream()
                        .map(r -> new RocPlot.Curve(r.embedder(), r.metrics())).toList();
                RocPlot.write(plot, "ROC: " + describeSource(), curves);
            }
            print(reports);
            return Doorman.OK;
        } finally {
            pipelines.forEach(FacePipeline::close);
        }
    }

    private static Optional<Embedding> embedLargest(FacePipeline pipeline, Path image) {
        try {
            FacePipeline.FaceEmbedding face = pipeline.largest(image);
            return face == null ? Optional.empty() : Optional.of(face.embedding());
        } catch (ImageException e) {
            return Optional.empty();
        }
    }

    private String describeSource() {
        return source.folder != null ? source.folder.getFileName().toString() : source.pairs.file.getFileName().toString();
    }

    private void print(Map<String, EvalReport> reports) throws IOException {
        if (json) {
            List<Object> rows = reports.values().stream().map(r -> (Object) r.toJson()).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("source", describeSource());
            out.put("reports", rows);
            if (plot != null) out.put("plot", plot.toString());
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
        } else {
            reports.values().forEach(r -> spec.commandLine().getOut().print(r.toHumanText()));
            if (plot != null) spec.commandLine().getOut().println("ROC curve written to " + plot);
        }
        spec.commandLine().getOut().flush();
    }
}
