package doorman.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import doorman.match.StrangerCurve;
import doorman.match.StrangerCurves;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures {@link StrangerCurves} from the different-person pairs of a set of embeddings, taking at most
 * {@link #PER_PERSON} photos of anyone (for LFW's training side about 11 million pairs, so rates down to about 1e-7
 * per comparison are resolved). The cap matters: with every photo, one person with hundreds of photos (LFW has 530 of
 * George W Bush) and one mislabelled or look-alike photo of someone else make the tail ten times heavier than for
 * typical people: at distance 0.8 all 23 million training pairs give 9.6e-5, capped ones 2.2e-5, and capped
 * held-out people 1.9e-5. Distances are counted in bins of {@link #BIN}; the curve's points are the bins' upper
 * edges, up to {@link #MAX_DISTANCE}.
 */
public final class StrangerCurveFit {

    static final double BIN = 0.005;
    /** Photos of one person that take part, the first ones in the given order. */
    public static final int PER_PERSON = 5;
    static final double MAX_DISTANCE = 2.0;

    private StrangerCurveFit() {}

    /**
     * Curves for references of 1 to {@code maxTemplates} photos: for k = 1 every different-person pair of photos;
     * for larger k the normalised mean of a person's first k photos against every photo of everyone else.
     *
     * @param allPeople each row's person; rows of the same person are never paired
     */
    public static StrangerCurves fit(String encoder, float[][] allRows, int[] allPeople, int maxTemplates) {
        Map<Integer, List<float[]>> byPerson = new LinkedHashMap<>();
        for (int i = 0; i < allRows.length; i++) {
            List<float[]> mine = byPerson.computeIfAbsent(allPeople[i], p -> new ArrayList<>());
            if (mine.size() < PER_PERSON) mine.add(allRows[i]);
        }
        List<float[]> rows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        byPerson.forEach((p, list) -> list.forEach(r -> {
            rows.add(r);
            owner.add(p);
        }));
        List<StrangerCurve> curves = new ArrayList<>();
        for (int k = 1; k <= maxTemplates; k++) {
            Histogram h = new Histogram();
            if (k == 1) {
                for (int i = 0; i < rows.size(); i++)
                    for (int j = i + 1; j < rows.size(); j++)
                        if (!owner.get(i).equals(owner.get(j))) h.add(rows.get(i), rows.get(j));
            } else {
                for (Map.Entry<Integer, List<float[]>> e : byPerson.entrySet()) {
                    if (e.getValue().size() < k) continue;
                    float[] centroid = centroid(e.getValue().subList(0, k));
                    for (int j = 0; j < rows.size(); j++) if (!owner.get(j).equals(e.getKey())) h.add(centroid, rows.get(j));
                }
            }
            curves.add(h.curve(encoder));
        }
        return new StrangerCurves(encoder, curves);
    }

    private static float[] centroid(List<float[]> photos) {
        double[] sum = new double[photos.get(0).length];
        for (float[] p : photos) for (int i = 0; i < sum.length; i++) sum[i] += p[i];
        double norm = 0;
        for (double v : sum) norm += v * v;
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = (float) (sum[i] / Math.sqrt(norm));
        return out;
    }

    /** Counts of squared distances in bins of {@link #BIN} up to {@link #MAX_DISTANCE}. */
    private static final class Histogram {
        final long[] counts = new long[(int) Math.round(MAX_DISTANCE / BIN)];
        long pairs;

        void add(float[] a, float[] b) {
            pairs++;
            float s = 0;
            for (int k = 0; k < a.length; k++) {
                float d = a[k] - b[k];
                s += d * d;
            }
            int bin = (int) (s / BIN);
            if (bin < counts.length) counts[bin]++;
        }

        StrangerCurve curve(String encoder) {
            if (pairs == 0) throw new IllegalArgumentException("no different-person pairs");
            List<Double> d = new ArrayList<>(), r = new ArrayList<>();
            long cumulative = 0;
            for (int b = 0; b < counts.length; b++) {
                cumulative += counts[b];
                if (cumulative == 0) continue;
                d.add(Math.round((b + 1) * BIN * 1e6) / 1e6);
                r.add((double) cumulative / pairs);
            }
            return finish(encoder, pairs, d, r);
        }

        private static StrangerCurve finish(String encoder, long pairs, List<Double> d, List<Double> r) {
            if (d.isEmpty()) throw new IllegalArgumentException("no different-person pair within " + MAX_DISTANCE);
            return new StrangerCurve(encoder, pairs, d.stream().mapToDouble(Double::doubleValue).toArray(),
                    r.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    public static void write(StrangerCurves curves, String source, Path file) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("encoder", curves.encoder());
        out.put("source", source);
        List<Object> list = new ArrayList<>();
        for (int k = 1; k <= curves.byTemplates().size(); k++) {
            StrangerCurve c = curves.forTemplates(k);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("templates", k);
            one.put("pairs", c.pairs());
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < c.distances().length; i++) points.add(new double[]{c.distances()[i], c.rates()[i]});
            one.put("points", points);
            list.add(one);
        }
        out.put("curves", list);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
    }
}
