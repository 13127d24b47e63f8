package doorman.cli;

import doorman.gallery.Gallery;
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
 * anything is stored: one refused photo (unreadable, no face, several faces) means nothing is enrolled.
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
        List<Images.Probe> probes = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        String encoder;
        try (FacePipeline pipeline = pipelineOptions.open()) {
            encoder = pipeline.encoderName();
            for (Path image : images) {
                try {
                    Images.Probe probe = Images.largestFace(pipeline, image);
                    if (probe.face().facesInImage() > 1)
                        refused.add(image + ": " + probe.face().facesInImage() + " faces; enroll needs a photo of one person");
                    else probes.add(probe);
                } catch (Failures.UserError | doorman.vision.ImageException e) {
                    refused.add(Failures.message(e));
                }
            }
        }
        if (!refused.isEmpty()) {
            refused.forEach(r -> spec.commandLine().getErr().println("doorman: refused " + r));
            throw new Failures.UserError(Doorman.BAD_INPUT, "nothing enrolled: " + refused.size() + " of " + images.size() + " photos refused");
        }
        try (Gallery gallery = store.open()) {
            // one transaction: a crash or kill -9 part-way leaves either everything or nothing enrolled
            List<Gallery.TemplateInput> inputs = probes.stream().map(p -> new Gallery.TemplateInput(
                    p.face().embedding(), encoder, p.sha256(), p.face().face().score())).toList();
            Gallery.Enrolment enrolment = gallery.enroll(name, inputs);
            Person person = enrolment.person();
            List<Long> added = enrolment.added().stream().map(Template::id).toList();
            List<String> skipped = probes.stream().filter(p -> enrolment.skippedSha256().contains(p.sha256()))
                    .map(p -> p.file().toString()).toList();
            int total = gallery.templates(person.id()).size();
            if (!added.isEmpty())
                store.audit(person.id(), person.name(), "enrolled with " + added.size() + " new template(s) " + added + ", " + total + " in all");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("person", person.name());
            result.put("personId", person.id());
            result.put("added", added.size());
            result.put("skippedDuplicates", skipped);
            result.put("templates", total);
            result.put("encoder", encoder);
            String human = "enrolled " + person.name() + ": " + added.size() + " new template(s), " + total + " in all"
                    + (skipped.isEmpty() ? "" : "; already had " + String.join(", ", skipped));
            Output.print(spec.commandLine().getOut(), json, result, human);
            return Doorman.OK;
        }
    }
}
