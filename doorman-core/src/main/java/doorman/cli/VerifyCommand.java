package doorman.cli;

import doorman.embedding.Embedding;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * 1:1 verification: two photos of the same person (the calibration's 1:1 accept distance), or a photo against an
 * enrolled person (as the door would decide: the door's threshold for the household, and they must be the nearest).
 */
@Command(name = "verify", description = {"Is this the same person? Exit 0 if yes, 1 if no.",
        "  doorman verify IMAGE1 IMAGE2", "  doorman verify IMAGE --as NAME"})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(arity = "1..2", description = "One photo with --as, or two photos.")
    List<Path> images;

    @Option(names = "--as", description = "Enrolled person to compare against.")
    String as;

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
        if (images.size() > 2 || (as == null) == (images.size() == 1))
            throw new Failures.UserError(Doorman.USAGE, "give two photos, or one photo and --as NAME");
        try (FacePipeline pipeline = pipelineOptions.open()) {
            Calibration calibration = Calibrations.forSpace(pipelineOptions, pipeline.encoderName());
            Images.Probe first = Images.largestFace(pipeline, images.get(0));
            Map<String, Object> result = new LinkedHashMap<>();
            double distance;
            double accept = calibration.acceptDistance();
            boolean same;
            String against;
            if (as != null) {
                try (Gallery gallery = store.open()) {
                    Person person = gallery.findPerson(as).orElseThrow(() -> Failures.badInput("no enrolled person named '" + as + "'"));
                    if (gallery.templates(person.id()).stream().noneMatch(t -> t.encoder().equals(pipeline.encoderName())))
                        throw Failures.badInput(person.name() + " has no templates for encoder " + pipeline.encoderName());
                    DoorDecision decision = door.decision(pipelineOptions.modelFiles(), calibration, gallery);
                    DoorDecision.Verdict verdict = decision.verify(List.of(first.face().embedding()), person.id(), person.name());
                    distance = verdict.distance();
                    accept = verdict.threshold().distance();
                    same = verdict.accepted();
                    against = person.name();
                }
            } else {
                Images.Probe second = Images.largestFace(pipeline, images.get(1));
                Embedding a = first.face().embedding();
                distance = a.distance(second.face().embedding());
                same = distance <= accept;
                against = images.get(1).toString();
            }
            double probability = calibration.probabilitySame(distance);
            result.put("same", same);
            result.put("distance", distance);
            result.put("probability", probability);
            result.put("acceptDistance", accept);
            result.put("encoder", pipeline.encoderName());
            result.put("facesInProbe", first.face().facesInImage());
            String human = (same ? "match" : "no match") + ": " + images.get(0) + " vs " + against
                    + " distance " + Output.fmt(distance) + " (accept <= " + Output.fmt(accept)
                    + "), P(same) " + Output.fmt(probability) + first.severalNote();
            Output.print(spec.commandLine().getOut(), json, result, human);
            return same ? Doorman.OK : Doorman.NEGATIVE;
        }
    }
}
