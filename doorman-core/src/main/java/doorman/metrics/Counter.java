package doorman.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count per label set. */
public final class Counter extends Metrics.Metric {

    private final Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();

    Counter(String name, String help, String[] labelNames) {
        super(name, help, labelNames);
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public void add(long amount, String... labelValues) {
        if (amount < 0) throw new IllegalArgumentException("a counter only goes up");
        counts.computeIfAbsent(key(labelValues), k -> new LongAdder()).add(amount);
    }

    public long value(String... labelValues) {
        LongAdder a = counts.get(key(labelValues));
        return a == null ? 0 : a.sum();
    }

    @Override
    void render(StringBuilder out) {
        header(out, "counter");
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(labels(k, null, null), v.sum()));
        sorted.forEach((labels, v) -> out.append(name).append(labels).append(' ').append(v).append('\n'));
    }
}
