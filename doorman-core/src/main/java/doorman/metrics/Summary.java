package doorman.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Count, sum and quantiles of observed values per label set. Quantiles are exact over the most recent
 * {@link #WINDOW} observations, so they follow the current behaviour rather than the whole uptime.
 */
public final class Summary extends Metrics.Metric {

    static final int WINDOW = 1024;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};

    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    Summary(String name, String help, String[] labelNames) {
        super(name, help, labelNames);
    }

    public void observe(double value, String... labelValues) {
        if (Double.isNaN(value)) throw new IllegalArgumentException("NaN observation for " + name);
        series.computeIfAbsent(key(labelValues), k -> new Series()).observe(value);
    }

    public long count(String... labelValues) {
        Series s = series.get(key(labelValues));
        return s == null ? 0 : s.snapshot().count;
    }

    @Override
    void render(StringBuilder out) {
        header(out, "summary");
        Map<List<String>, Series> sorted = new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
        sorted.putAll(series);
        sorted.forEach((key, s) -> {
            Snapshot snap = s.snapshot();
            for (double q : QUANTILES)
                out.append(name).append(labels(key, "quantile", Metrics.number(q))).append(' ')
                        .append(Metrics.number(snap.quantile(q))).append('\n');
            String plain = labels(key, null, null);
            out.append(name).append("_sum").append(plain).append(' ').append(Metrics.number(snap.sum)).append('\n');
            out.append(name).append("_count").append(plain).append(' ').append(snap.count).append('\n');
        });
    }

    private static final class Series {
        private final double[] recent = new double[WINDOW];
        private long count;
        private double sum;

        synchronized void observe(double v) {
            recent[(int) (count % WINDOW)] = v;
            count++;
            sum += v;
        }

        synchronized Snapshot snapshot() {
            int n = (int) Math.min(count, WINDOW);
            double[] window = Arrays.copyOf(recent, n);
            Arrays.sort(window);
            return new Snapshot(count, sum, window);
        }
    }

    private record Snapshot(long count, double sum, double[] sortedWindow) {
        /** Nearest-rank quantile; NaN before the first observation, as Prometheus expects. */
        double quantile(double q) {
            if (sortedWindow.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(q * sortedWindow.length);
            return sortedWindow[Math.max(0, Math.min(sortedWindow.length - 1, rank - 1))];
        }
    }
}
