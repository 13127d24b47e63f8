package doorman.cli;

import doorman.app.Assembly;
import doorman.config.DoormanConfig;
import doorman.enroll.Enrollment;
import doorman.enroll.EnrollmentRefused;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;
import doorman.match.Calibration;
import doorman.match.CalibrationJson;
import doorman.match.DoorDecision;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.policy.PersonSchedule;
import doorman.vision.ImageException;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gallery commands computed on the store itself: by the CLI when no daemon runs, and by the daemon for a
 * CLI that asked it ({@link ControlServer}). Refusals are thrown as {@link Failures.UserError}s, as everywhere in
 * the CLI.
 */
final class LocalGallery implements GalleryService {

    /** Records a change to who can enter, naming the user who asked for it. */
    @FunctionalInterface
    interface Auditor {
        void record(Long personId, String personName, String what);
    }

    static final List<String> ACTIONS = List.of("remove", "rename", "enable", "disable", "schedule");

    private final Gallery gallery;
    private final Supplier<FacePipeline> pipelines;
    private final boolean owns;
    private final DoormanConfig settings;
    private final ModelFiles models;
    private final Auditor auditor;
    private FacePipeline pipeline;

    /**
     * @param pipelines opens (or lends) the pipeline on first use: people and its actions never load a model
     * @param owns      whether closing this closes the gallery and the pipeline it opened
     * @param settings  the door's detector, encoder, quality gate and calibration
     */
    LocalGallery(Gallery gallery, Supplier<FacePipeline> pipelines, boolean owns, DoormanConfig settings,
                 ModelFiles models, Auditor auditor) {
        this.gallery = gallery;
        this.pipelines = pipelines;
        this.owns = owns;
        this.settings = settings;
        this.models = models;
        this.auditor = auditor;
    }

    /** How the audit names a change made from the command line, on either path. */
    static String byCommandLine(String what, String user) {
        return what + " (command line, user " + user + ")";
    }

    private FacePipeline pipeline() {
        if (pipeline == null) pipeline = pipelines.get();
        return pipeline;
    }

    private Calibration calibration(String space) {
        try {
            return Assembly.calibration(settings, models, space);
        } catch (IllegalStateException e) {
            throw new Failures.UserError(Doorman.FAILURE, e.getMessage());
        }
    }

    @Override
    public Answer people(double strangerAccept) {
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder human = new StringBuilder();
        for (Person p : gallery.people()) {
            int templates = gallery.templates(p.id()).size();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", p.id());
            row.put("name", p.name());
            row.put("enabled", p.enabled());
            row.put("templates", templates);
            row.put("created", p.created().toString());
            rows.add(row);
            String schedule = gallery.schedule(p.id()).orElse("always");
            row.put("schedule", schedule);
            human.append(String.format("%-30s %3d template(s)  %s%s%n", p.name(), templates, schedule, p.enabled() ? "" : "  (disabled)"));
        }
        if (rows.isEmpty()) human.append("nobody enrolled yet\n");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("people", rows);
        doorInfo(out, human, strangerAccept);
        return Answer.of(Doorman.OK, out, human.toString().stripTrailing(), List.of());
    }

    /** What the household's size does to the door: its threshold and the stranger accept per visit to expect. */
    private void doorInfo(Map<String, Object> out, StringBuilder human, double strangerAccept) {
        String space = EncoderChoice.HEAD_128.spaceName();
        if (!Files.isRegularFile(CalibrationJson.forSpace(models.dir(), space))) return;
        DoorDecision decision = DoorOptions.decision(models, Calibrations.forSpace(models, space), gallery, strangerAccept);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("encoder", space);
        info.put("recognisable", decision.people());
        info.put("references", decision.references().name().toLowerCase(Locale.ROOT));
        info.put("threshold", decision.threshold().distance());
        info.put("target", decision.threshold().target());
        info.put("expectedStrangerAcceptPerVisit", decision.threshold().expectedStrangerAccept());
        out.put("door", info);
        human.append(String.format(Locale.ROOT,
                "door (%s): %d recognisable, accept distance %.3f, expected stranger accept per visit %.1e (target %.0e)%n",
                space, decision.people(), decision.threshold().distance(), decision.threshold().expectedStrangerAccept(),
                decision.threshold().target()));
    }

    @Override
    public Answer change(List<String> words) {
        String action = words.get(0);
        if (!ACTIONS.contains(action))
            throw new Failures.UserError(Doorman.USAGE, "unknown action '" + action + "' (remove, rename, enable, disable, schedule)");
        int needed = action.equals("rename") || action.equals("schedule") ? 3 : 2;
        if (words.size() != needed) throw new Failures.UserError(Doorman.USAGE, "usage: doorman people " + action
                + (needed == 3 ? " NAME " + (action.equals("rename") ? "NEW_NAME" : "SCHEDULE") : " NAME"));
        Person person = gallery.findPerson(words.get(1))
                .orElseThrow(() -> Failures.badInput("no enrolled person named '" + words.get(1) + "'"));
        String done = switch (action) {
            case "remove" -> "removed " + person.name() + " and " + gallery.removePerson(person.id()) + " template(s)";
            case "rename" -> "renamed " + person.name() + " to " + gallery.rename(person.id(), words.get(2)).name();
            case "disable" -> "disabled " + gallery.setEnabled(person.id(), false).name();
            case "enable" -> "enabled " + gallery.setEnabled(person.id(), true).name();
            default -> {
                String text = words.get(2).trim();
                boolean always = text.equalsIgnoreCase("always");
                String normalised = always ? null : PersonSchedule.parse(text).toString();
                gallery.setSchedule(person.id(), normalised);
                yield person.name() + " may open the door " + (always ? "at any time" : normalised);
            }
        };
        auditor.record(person.id(), person.name(), done);
        return Answer.of(Doorman.OK, Map.of("done", done), done, List.of());
    }

    @Override
    public Answer enroll(String name, List<Photo> photos) {
        List<Enrollment.Candidate> candidates = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        FacePipeline pipeline = pipeline();
        Calibration calibration = calibration(pipeline.encoderName());
        // the same gate as the door's web page: a photo file is checked for quality, not for liveness
        Enrollment enrollment = new Enrollment(pipeline, pipeline, Assembly.qualityGate(settings.quality()), null,
                calibration, reason -> { }, settings.pictures().thumbnails());
        for (Photo photo : photos) {
            try {
                candidates.add(enrollment.examine(photo.require()));
            } catch (EnrollmentRefused | ImageException | Failures.UserError e) {
                refused.add(photo.label() + ": " + Failures.message(e));
            }
        }
        if (!refused.isEmpty())
            return Answer.failed(Doorman.BAD_INPUT, "nothing enrolled: " + refused.size() + " of " + photos.size() + " photos refused",
                    refused.stream().map(r -> "refused " + r).toList());
        // one transaction: a crash or kill -9 part-way leaves either everything or nothing enrolled
        Enrollment.Stored stored = enrollment.enroll(gallery, name, candidates);
        Person person = stored.person();
        int total = gallery.templates(person.id()).size();
        if (!stored.added().isEmpty())
            auditor.record(person.id(), person.name(), "enrolled with " + stored.added().size() + " new template(s) "
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
        return Answer.of(Doorman.OK, result, human, stored.warnings().stream().map(w -> "warning: " + w).toList());
    }

    @Override
    public Answer identify(Photo photo, double strangerAccept) {
        FacePipeline pipeline = pipeline();
        Calibration calibration = calibration(pipeline.encoderName());
        Images.Probe probe = Images.largestFace(pipeline, photo);
        DoorDecision decision = DoorOptions.decision(models, calibration, gallery, strangerAccept);
        Optional<DoorDecision.Verdict> found = decision.decide(List.of(probe.face().embedding()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("facesInImage", probe.face().facesInImage());
        result.put("encoder", pipeline.encoderName());
        if (found.isEmpty()) {
            result.put("found", false);
            return Answer.of(Doorman.NEGATIVE, result,
                    "not in database (no enrolled templates for " + pipeline.encoderName() + ")" + probe.severalNote(), List.of());
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
        return Answer.of(accepted ? Doorman.OK : Doorman.NEGATIVE, result, human, List.of());
    }

    @Override
    public Answer verifyAs(Photo photo, String name, double strangerAccept) {
        FacePipeline pipeline = pipeline();
        Calibration calibration = calibration(pipeline.encoderName());
        Images.Probe first = Images.largestFace(pipeline, photo);
        Person person = gallery.findPerson(name).orElseThrow(() -> Failures.badInput("no enrolled person named '" + name + "'"));
        if (gallery.templates(person.id()).stream().noneMatch(t -> t.encoder().equals(pipeline.encoderName())))
            throw Failures.badInput(person.name() + " has no templates for encoder " + pipeline.encoderName());
        DoorDecision decision = DoorOptions.decision(models, calibration, gallery, strangerAccept);
        DoorDecision.Verdict verdict = decision.verify(List.of(first.face().embedding()), person.id(), person.name());
        return VerifyCommand.answer(verdict.accepted(), verdict.distance(), verdict.threshold().distance(), calibration,
                pipeline.encoderName(), first, photo.label(), person.name());
    }

    @Override
    public void close() {
        if (!owns) return;
        try {
            if (pipeline != null) pipeline.close();
        } finally {
            gallery.close();
        }
    }
}
