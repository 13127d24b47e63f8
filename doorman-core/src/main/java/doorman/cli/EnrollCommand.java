package doorman.cli;

import doorman.app.Assembly;
import doorman.enroll.Enrollment;
import doorman.enroll.EnrollmentRefused;
import doorman.gallery.Gallery;
import doorman.match.Calibration;
import doorman.vision.ImageException;
import doorman.gallery.Person;
import doorman.gallery.Template;
import doorman.pipeline.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Enrolls a person from one or more photos, each kept as its own template. All photos are checked before
 * anything is stored: one refused photo (unreadable, no face, several faces, too poor for the door's quality gate)
 * means nothing is enrolled. The checks are the web page's (doorman.enroll.Enrollment).
 */
@Command(name = "enroll", description = "Enroll NAME from one or more photos (one face each).")
final class EnrollCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The person's name (created when new).")
    String name;

    @Parameters(index = "1..*", arity = "1..*", description = "Photos with exactly one face.")
    List<Path> images;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Enrollment.Candidate> candidates = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (FacePipeline pipeline = pipelineOptions.open(); Gallery gallery = store.open()) {
            Calibration calibration = Calibrations.forSpace(pipelineOptions, pipeline.encoderName());
            // the same gate as the door's web page: a photo file is checked for quality, not for liveness
            Enrollment enrollment = new Enrollment(pipeline, pipeline, Assembly.qualityGate(pipelineOptions.settings().quality()), null,
                    calibration, reason -> { }, pipelineOptions.settings().pictures().thumbnails());
            for (Path image : images) {
                try {
                    candidates.add(enrollment.examine(Images.readBounded(image)));
                } catch (EnrollmentRefused | ImageException | Failures.UserError e) {
                    refused.add(image + ": " + Failures.message(e));
                }
            }
            if (!refused.isEmpty()) {
                refused.forEach(r -> spec.commandLine().getErr().println("doorman: refused " + r));
                throw new Failures.UserError(Doorman.BAD_INPUT, "nothing enrolled: " + refused.size() + " of " + images.size() + " photos refused");
            }
            // one transaction: a crash or kill -9 part-way leaves either everything or nothing enrolled
            Enrollment.Stored stored = enrollment.enroll(gallery, name, candidates);
            Person person = stored.person();
            stored.warnings().forEach(w -> spec.commandLine().getErr().println("doorman: warning: " + w));
            int total = gallery.templates(person.id()).size();
            if (!stored.added().isEmpty())
                store.audit(person.id(), person.name(), "enrolled with " + stored.added().size() + " new template(s) "
                        + stored.added().stream().map(Template::id).toList() + ", " + total + " in all");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("person", person.name());
            result.put("personId", person.id());
            result.put("added", stored.added().size());
            result.put("skippedDuplicates", stored.duplicates().size());
            result.put("warnings", stored.warnings());
            result.put("templates", total);
            result.put("encoder", enrollment.space());
            String human = "enrolled " + person.name() + ": " + stored.added().size() + " new template(s), " + total + " in all"
                    + (stored.duplicates().isEmpty() ? "" : "; " + stored.duplicates().size() + " photo(s) already enrolled");
            Output.print(spec.commandLine().getOut(), json, result, human);
            return Doorman.OK;
        }
    }
}
