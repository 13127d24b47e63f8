package doorman.cli;

import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.match.DoorDecision;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.policy.PersonSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Lists and manages enrolled people. */
@Command(name = "people", description = {"List enrolled people, or manage one:",
        "  doorman people", "  doorman people remove NAME", "  doorman people rename NAME NEW_NAME",
        "  doorman people disable NAME | enable NAME",
        "  doorman people schedule NAME 'mon-fri 08:00-18:00' | always"})
final class PeopleCommand implements Callable<Integer> {

    private static final List<String> ACTIONS = List.of("remove", "rename", "enable", "disable", "schedule");

    @Parameters(arity = "0..3", description = "Nothing (list), or an action and its names.")
    List<String> words = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    StoreOptions store;

    @Mixin
    DoorOptions door;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Gallery gallery = store.open()) {
            if (words.isEmpty()) return list(gallery);
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
                case "schedule" -> {
                    String text = words.get(2).trim();
                    boolean always = text.equalsIgnoreCase("always");
                    String normalised = always ? null : PersonSchedule.parse(text).toString();
                    gallery.setSchedule(person.id(), normalised);
                    yield person.name() + " may open the door " + (always ? "at any time" : normalised);
                }
                default -> throw new Failures.UserError(Doorman.USAGE, "unknown action '" + action + "' (remove, rename, enable, disable, schedule)");
            };
            store.audit(person.id(), person.name(), done);
            Output.print(spec.commandLine().getOut(), json, Map.of("done", done), done);
            return Doorman.OK;
        }
    }

    private int list(Gallery gallery) {
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
        doorInfo(gallery, out, human);
        Output.print(spec.commandLine().getOut(), json, out, human.toString().stripTrailing());
        return Doorman.OK;
    }

    /** What the household's size does to the door: its threshold and the stranger accept per visit to expect. */
    private void doorInfo(Gallery gallery, Map<String, Object> out, StringBuilder human) {
        ModelFiles models = ModelFiles.locate();
        String space = EncoderChoice.HEAD_128.spaceName();
        if (!java.nio.file.Files.isRegularFile(doorman.match.CalibrationJson.forSpace(models.dir(), space))) return;
        DoorDecision decision = door.decision(models, Calibrations.forSpace(models, space), gallery);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("encoder", space);
        info.put("recognisable", decision.people());
        info.put("references", decision.references().name().toLowerCase(java.util.Locale.ROOT));
        info.put("threshold", decision.threshold().distance());
        info.put("target", decision.threshold().target());
        info.put("expectedStrangerAcceptPerVisit", decision.threshold().expectedStrangerAccept());
        out.put("door", info);
        human.append(String.format(java.util.Locale.ROOT,
                "door (%s): %d recognisable, accept distance %.3f, expected stranger accept per visit %.1e (target %.0e)%n",
                space, decision.people(), decision.threshold().distance(), decision.threshold().expectedStrangerAccept(),
                decision.threshold().target()));
    }
}
