package doorman.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import doorman.match.StrangerCurve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a {@link StrangerCurve} from the different-person pairs of a set of embeddings, taking at most
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

    /** @param person each row's person; rows of the same person are never paired */
    public static StrangerCurve fit(String encoder, float[][] allRows, int[] allPeople) {
        java.util.Map<Integer, Integer> taken = new java.util.HashMap<>();
        List<float[]> kept = new ArrayList<>();
        List<Integer> keptPeople = new ArrayList<>();
        for (int i = 0; i < allRows.length; i++) {
            if (taken.merge(allPeople[i], 1, Integer::sum) > PER_PERSON) continue;
            kept.add(allRows[i]);
            keptPeople.add(allPeople[i]);
        }
        float[][] rows = kept.toArray(float[][]::new);
        int[] person = keptPeople.stream().mapToInt(Integer::intValue).toArray();
        int bins = (int) Math.round(MAX_DISTANCE / BIN);
        long[] histogram = new long[bins];
        long pairs = 0;
        int dim = rows.length == 0 ? 0 : rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            float[] a = rows[i];
            for (int j = i + 1; j < rows.length; j++) {
                if (person[i] == person[j]) continue;
                pairs++;
                float[] b = rows[j];
                float s = 0;
                for (int k = 0; k < dim; k++) {
                    float d = a[k] - b[k];
                    s += d * d;
                }
                int bin = (int) (s / BIN);
                if (bin < bins) histogram[bin]++;
            }
        }
        if (pairs == 0) throw new IllegalArgumentException("no different-person pairs");
        List<Double> d = new ArrayList<>(), r = new ArrayList<>();
        long cumulative = 0;
        for (int b = 0; b < bins; b++) {
            cumulative += histogram[b];
            if (cumulative == 0) continue;
            d.add(Math.round((b + 1) * BIN * 1e6) / 1e6);
            r.add((double) cumulative / pairs);
        }
        if (d.isEmpty()) throw new IllegalArgumentException("no different-person pair within " + MAX_DISTANCE);
        return new StrangerCurve(encoder, pairs, d.stream().mapToDouble(Double::doubleValue).toArray(),
                r.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static void write(StrangerCurve curve, String source, Path file) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("encoder", curve.encoder());
        out.put("source", source);
        out.put("pairs", curve.pairs());
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < curve.distances().length; i++) points.add(new double[]{curve.distances()[i], curve.rates()[i]});
        out.put("points", points);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
    }
}
