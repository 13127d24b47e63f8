package doorman.cli;

import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.pipeline.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** 1:K recognition: who among the enrolled is this, or nobody; decided as the door decides a one-frame visit. */
@Command(name = "identify", description = "Who is in this photo? Exit 0 if an enrolled person, 1 if not in the database.")
final class IdentifyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A photo; with several faces the largest is used.")
    Path image;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    StoreOptions store;

    @Mixin
    DoorOptions door;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (FacePipeline pipeline = pipelineOptions.open(); Gallery gallery = store.open()) {
            Calibration calibration = Calibrations.forSpace(pipelineOptions, pipeline.encoderName());
            Images.Probe probe = Images.largestFace(pipeline, image);
            DoorDecision decision = door.decision(pipelineOptions.modelFiles(), calibration, gallery);
            Optional<DoorDecision.Verdict> found = decision.decide(java.util.List.of(probe.face().embedding()));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("facesInImage", probe.face().facesInImage());
            result.put("encoder", pipeline.encoderName());
            if (found.isEmpty()) {
                result.put("found", false);
                Output.print(spec.commandLine().getOut(), json, result,
                        "not in database (no enrolled templates for " + pipeline.encoderName() + ")" + probe.severalNote());
                return Doorman.NEGATIVE;
            }
            DoorDecision.Verdict best = found.get();
            boolean accepted = best.accepted();
            result.put("found", accepted);
            result.put("decision", best.decision().name().toLowerCase());
            result.put("closest", best.name());
            result.put("distance", best.distance());
            result.put("probability", best.probability());
            result.put("threshold", best.threshold().distance());
            result.put("expectedStrangerAcceptPerVisit", best.threshold().expectedStrangerAccept());
            String human = switch (best.decision()) {
                case ACCEPT -> best.name();
                case UNCERTAIN -> "not in database (uncertain: closest is " + best.name() + ")";
                case STRANGER, NO_FACE -> "not in database";
            } + ": distance " + Output.fmt(best.distance()) + " (door accepts <= " + Output.fmt(best.threshold().distance())
                    + "), P(same) " + Output.fmt(best.probability()) + probe.severalNote();
            Output.print(spec.commandLine().getOut(), json, result, human);
            return accepted ? Doorman.OK : Doorman.NEGATIVE;
        }
    }
}
