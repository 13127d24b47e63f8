package doorman.lab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Durations of each stage, in the order stages were first seen, with their median and tail percentiles. */
public final class StageTimes {

    /** One stage's summary in milliseconds. */
    public record Summary(String stage, int calls, double medianMs, double p95Ms, double p99Ms, double meanMs) {}

    private final Map<String, List<Long>> nanos = new LinkedHashMap<>();

    public void add(String stage, long durationNanos) {
        nanos.computeIfAbsent(stage, s -> new ArrayList<>()).add(durationNanos);
    }

    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        nanos.forEach((stage, list) -> out.add(summarise(stage, list)));
        return out;
    }

    public static Summary summarise(String stage, List<Long> durations) {
        double[] ms = durations.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        if (ms.length == 0) return new Summary(stage, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Summary(stage, ms.length, percentile(ms, 50), percentile(ms, 95), percentile(ms, 99),
                Arrays.stream(ms).average().orElse(Double.NaN));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
