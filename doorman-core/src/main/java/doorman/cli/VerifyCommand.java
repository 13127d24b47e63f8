package doorman.cli;

import doorman.embedding.Embedding;
import doorman.match.Calibration;
import doorman.pipeline.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
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
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (as != null) {
            // against an enrolled person: on the store, or through the daemon when it runs
            try (GalleryService gallery = store.service(pipelineOptions)) {
                return gallery.verifyAs(Photo.read(images.get(0)), as, door.strangerAccept()).print(out, err, json);
            }
        }
        try (FacePipeline pipeline = pipelineOptions.open()) {
            Calibration calibration = Calibrations.forSpace(pipelineOptions, pipeline.encoderName());
            Images.Probe first = Images.largestFace(pipeline, images.get(0));
            Images.Probe second = Images.largestFace(pipeline, images.get(1));
            Embedding a = first.face().embedding();
            double distance = a.distance(second.face().embedding());
            double accept = calibration.acceptDistance();
            return answer(distance <= accept, distance, accept, calibration, pipeline.encoderName(), first,
                    images.get(0).toString(), images.get(1).toString()).print(out, err, json);
        }
    }

    /** The answer either way: photo against photo, or (also in the daemon) photo against a person. */
    static Answer answer(boolean same, double distance, double accept, Calibration calibration, String encoder,
                         Images.Probe first, String probeLabel, String against) {
        double probability = calibration.probabilitySame(distance);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("same", same);
        result.put("distance", distance);
        result.put("probability", probability);
        result.put("acceptDistance", accept);
        result.put("encoder", encoder);
        result.put("facesInProbe", first.face().facesInImage());
        String human = (same ? "match" : "no match") + ": " + probeLabel + " vs " + against
                + " distance " + Output.fmt(distance) + " (accept <= " + Output.fmt(accept)
                + "), P(same) " + Output.fmt(probability) + first.severalNote();
        return Answer.of(same ? Doorman.OK : Doorman.NEGATIVE, result, human, List.of());
    }
}
