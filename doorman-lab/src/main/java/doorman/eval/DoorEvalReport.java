package doorman.eval;

import doorman.eval.DoorEvaluation.Level;
import doorman.eval.DoorEvaluation.Outcome;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.DoorThreshold;
import doorman.match.StrangerCurves;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and JSON for {@code doorman eval door}. */
public record DoorEvalReport(String dataset, int images, long people, String jitter, Calibration calibration,
                             StrangerCurves curves, double target, DoorDecision.References references,
                             List<DoorEvaluation.Result> results) {

    private static final String[] LEVEL_NAMES = {"per frame", "per visit (a) diverse", "per visit (b) near-duplicate"};

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Door evaluation on held-out people of %s: %d images of %d people%n", dataset, images, people));
        s.append(String.format(Locale.ROOT, "before: each frame <= %.3f (1:1 accept distance), all frames one person%n", calibration.acceptDistance()));
        s.append(String.format(Locale.ROOT, "after:  fused visit, %s references, every frame's nearest the same person within %.3f, "
                + "threshold for %.0e stranger accept per visit%n",
                references.name().toLowerCase(Locale.ROOT), calibration.unknownDistance(), target));
        for (int k = 1; k <= curves.byTemplates().size(); k++)
            s.append(String.format(Locale.ROOT, "  stranger curve for references of %d photo(s): %d training-side comparisons, floor %.1e%n",
                    k, curves.forTemplates(k).pairs(), curves.forTemplates(k).floor()));
        s.append("near-duplicate frames: ").append(jitter).append("\n");
        for (DoorEvaluation.Result r : results) {
            DoorEvaluation.Settings st = r.settings();
            s.append(String.format(Locale.ROOT, "%n== household of %d, %d photo(s) each, %d draws, %d frames a visit ==%n",
                    st.household(), st.photos(), st.repeats(), st.frames()));
            if (r.skipped() != null) {
                s.append("skipped: ").append(r.skipped()).append("\n");
                continue;
            }
            DoorThreshold t = r.threshold();
            s.append(String.format(Locale.ROOT, "after-threshold %.3f over %d references (curve expects %.1e per visit)%n",
                    t.distance(), t.comparisons(), t.expectedStrangerAccept()));
            s.append(String.format(Locale.ROOT, "%-7s %-30s %-36s %-30s %-36s%n", "", "", "genuine accept", "wrong-person accept", "stranger accept"));
            for (Map.Entry<String, DoorEvaluation.Counts> d : r.decisions().entrySet())
                for (Level level : Level.values())
                    s.append(String.format(Locale.ROOT, "%-7s %-30s %-36s %-30s %-36s%n", d.getKey(), LEVEL_NAMES[level.ordinal()],
                            d.getValue().get(level, Outcome.GENUINE_ACCEPT).describe(),
                            d.getValue().get(level, Outcome.WRONG_PERSON_ACCEPT).describe(),
                            d.getValue().get(level, Outcome.STRANGER_ACCEPT).describe()));
            s.append(String.format(Locale.ROOT, "trade-off (after-decision): distance | genuine (a) | stranger (b) | stranger (a) | stranger frame | wrong (a) | curves' expectation%n"));
            int best = best(r);
            for (int g = 0; g < DoorEvaluation.GRID.length; g++) {
                s.append(String.format(Locale.ROOT, "  %.3f | %-8s | %-28s | %-28s | %-28s | %-8s | %.1e%s%n", DoorEvaluation.GRID[g],
                        BinomialInterval.fmt(r.at(g, Level.DIVERSE, Outcome.GENUINE_ACCEPT).rate()),
                        r.at(g, Level.NEAR_DUPLICATE, Outcome.STRANGER_ACCEPT).describe(),
                        r.at(g, Level.DIVERSE, Outcome.STRANGER_ACCEPT).describe(),
                        r.at(g, Level.FRAME, Outcome.STRANGER_ACCEPT).describe(),
                        BinomialInterval.fmt(r.at(g, Level.DIVERSE, Outcome.WRONG_PERSON_ACCEPT).rate()),
                        DoorThreshold.expected(curves, DoorEvaluation.GRID[g], r.templatesPerReference()), g == best ? "  <- best within target" : ""));
            }
        }
        return s.toString();
    }

    /** The grid point with the most genuine (a) accepts among those whose measured stranger (b) rate is within the target; -1 if none. */
    static int best(DoorEvaluation.Result r) {
        int best = -1;
        for (int g = 0; g < DoorEvaluation.GRID.length; g++) {
            if (!(r.at(g, Level.NEAR_DUPLICATE, Outcome.STRANGER_ACCEPT).rate() <= r.threshold().target())) continue;
            if (best < 0 || r.at(g, Level.DIVERSE, Outcome.GENUINE_ACCEPT).rate() > r.at(best, Level.DIVERSE, Outcome.GENUINE_ACCEPT).rate())
                best = g;
        }
        return best;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dataset);
        out.put("images", images);
        out.put("people", people);
        out.put("nearDuplicates", jitter);
        out.put("beforeAcceptDistance", calibration.acceptDistance());
        out.put("unknownDistance", calibration.unknownDistance());
        out.put("target", target);
        out.put("references", references.name().toLowerCase(Locale.ROOT));
        out.put("curveComparisons", curves.byTemplates().stream().map(c -> c.pairs()).toList());
        List<Object> rows = new ArrayList<>();
        for (DoorEvaluation.Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("household", r.settings().household());
            row.put("photos", r.settings().photos());
            row.put("draws", r.settings().repeats());
            row.put("frames", r.settings().frames());
            if (r.skipped() != null) {
                row.put("skipped", r.skipped());
                rows.add(row);
                continue;
            }
            row.put("threshold", r.threshold().distance());
            row.put("comparisons", r.threshold().comparisons());
            row.put("expectedStrangerAccept", r.threshold().expectedStrangerAccept());
            Map<String, Object> decisions = new LinkedHashMap<>();
            r.decisions().forEach((name, counts) -> {
                Map<String, Object> levels = new LinkedHashMap<>();
                for (Level level : Level.values()) {
                    Map<String, Object> outcomes = new LinkedHashMap<>();
                    for (Outcome o : Outcome.values()) outcomes.put(camel(o.name()), interval(counts.get(level, o)));
                    levels.put(camel(level.name()), outcomes);
                }
                decisions.put(name, levels);
            });
            row.put("decisions", decisions);
            List<Object> sweep = new ArrayList<>();
            for (int g = 0; g < DoorEvaluation.GRID.length; g++) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("distance", DoorEvaluation.GRID[g]);
                point.put("genuineDiverse", interval(r.at(g, Level.DIVERSE, Outcome.GENUINE_ACCEPT)));
                point.put("wrongPersonDiverse", interval(r.at(g, Level.DIVERSE, Outcome.WRONG_PERSON_ACCEPT)));
                point.put("strangerNearDuplicate", interval(r.at(g, Level.NEAR_DUPLICATE, Outcome.STRANGER_ACCEPT)));
                point.put("strangerDiverse", interval(r.at(g, Level.DIVERSE, Outcome.STRANGER_ACCEPT)));
                point.put("strangerFrame", interval(r.at(g, Level.FRAME, Outcome.STRANGER_ACCEPT)));
                point.put("curveExpectation", DoorThreshold.expected(curves, DoorEvaluation.GRID[g], r.templatesPerReference()));
                sweep.add(point);
            }
            row.put("tradeOff", sweep);
            int best = best(r);
            row.put("bestDistanceWithinTarget", best < 0 ? null : DoorEvaluation.GRID[best]);
            rows.add(row);
        }
        out.put("results", rows);
        return out;
    }

    private static Map<String, Object> interval(BinomialInterval i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", i.successes());
        m.put("trials", i.trials());
        m.put("rate", i.trials() == 0 ? null : i.rate());
        m.put("low95", i.low());
        m.put("high95", i.high());
        return m;
    }

    private static String camel(String constant) {
        String[] parts = constant.toLowerCase(Locale.ROOT).split("_");
        StringBuilder s = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) s.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        return s.toString();
    }
}
