package doorman.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A small registry of counters and summaries, rendered in Prometheus' text exposition format (0.0.4).
 * The pipeline, the lock and the HTTP layer all record into one instance; {@code /metrics} renders it.
 * Registering a name again returns the existing metric, so callers need not share references.
 */
public final class Metrics {

    public static final String DECISIONS = "doorman_decisions_total";
    public static final String UNLOCKS = "doorman_unlocks_total";
    public static final String STAGE_SECONDS = "doorman_stage_seconds";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<String, Metric> metrics = new ConcurrentHashMap<>();
    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A standing warning about how this door is set up (a risky setting), shown by /healthz as well. */
    public void warn(String warning) {
        warnings.add(warning);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public Counter counter(String name, String help, String... labelNames) {
        return register(name, Counter.class, () -> new Counter(name, help, labelNames), labelNames);
    }

    public Summary summary(String name, String help, String... labelNames) {
        return register(name, Summary.class, () -> new Summary(name, help, labelNames), labelNames);
    }

    /** Sets the unlabelled gauge {@code name}, registering it on first use. */
    public void gauge(String name, double value) {
        register(name, Gauge.class, () -> new Gauge(name, help(name)), new String[0]).set(value);
    }

    /** One policy decision, by its action (unlock, denied, stranger_event, none); the label matches DoorLoop's. */
    public void recordDecision(String action) {
        count(DECISIONS, "action", action);
    }

    /** One door unlock, by what caused it (e.g. face, manual). */
    public void recordUnlock(String source) {
        count(UNLOCKS, "source", source);
    }

    /** Time spent in one pipeline stage (e.g. detect, align, quality, liveness, embed, match). */
    public void recordStage(String stage, long nanos) {
        observe(STAGE_SECONDS, "stage", stage, nanos / 1e9);
    }

    /** Adds one to the counter {@code name} with one label, registering it on first use. */
    public void count(String name, String labelName, String labelValue) {
        counter(name, help(name), labelName).inc(labelValue);
    }

    /** Records {@code value} into the unlabelled summary {@code name}, registering it on first use. */
    public void observe(String name, double value) {
        summary(name, help(name)).observe(value);
    }

    /** Records {@code value} into the summary {@code name} under one label, registering it on first use. */
    public void observe(String name, String labelName, String labelValue, double value) {
        summary(name, help(name), labelName).observe(value, labelValue);
    }

    private static String help(String name) {
        return switch (name) {
            case DECISIONS -> "Policy decisions by action.";
            case UNLOCKS -> "Door unlocks by source.";
            case STAGE_SECONDS -> "Latency of each pipeline stage in seconds.";
            case "doorman_frame_seconds" -> "Time to process one camera frame in seconds.";
            case "doorman_api_stage_seconds" -> "Latency of each stage when the API analyses a photo, in seconds.";
            case "doorman_frames_total" -> "Camera frames processed, by what was recognised.";
            case "doorman_camera_up" -> "1 while the camera delivers frames, 0 when it has been silent too long.";
            case "doorman_camera_dropped_frames" -> "Camera frames replaced by a newer one before the loop took them.";
            default -> "Doorman metric " + name + ".";
        };
    }

    /** All metrics in Prometheus text format, sorted by name so scrapes are stable. */
    public String render() {
        List<String> names = new ArrayList<>(metrics.keySet());
        names.sort(null);
        StringBuilder out = new StringBuilder();
        for (String name : names) metrics.get(name).render(out);
        return out.toString();
    }

    private <M extends Metric> M register(String name, Class<M> type, java.util.function.Supplier<M> create,
                                          String[] labelNames) {
        Metric m = metrics.computeIfAbsent(name, n -> {
            if (!NAME.matcher(n).matches()) throw new IllegalArgumentException("bad metric name: " + n);
            for (String l : labelNames)
                if (!LABEL.matcher(l).matches() || l.equals("quantile"))
                    throw new IllegalArgumentException("bad label name: " + l);
            return create.get();
        });
        if (!type.isInstance(m) || !List.of(m.labelNames).equals(List.of(labelNames)))
            throw new IllegalArgumentException("metric " + name + " already registered with another type or labels");
        return type.cast(m);
    }

    abstract static sealed class Metric permits Counter, Summary, Gauge {
        final String name;
        final String help;
        final String[] labelNames;

        Metric(String name, String help, String[] labelNames) {
            this.name = name;
            this.help = help;
            this.labelNames = labelNames.clone();
        }

        List<String> key(String[] labelValues) {
            if (labelValues.length != labelNames.length)
                throw new IllegalArgumentException(name + " takes " + labelNames.length + " label values");
            return List.of(labelValues);
        }

        /** {@code {a="x",b="y"}} with an optional extra label; empty when there are no labels at all. */
        String labels(List<String> values, String extraName, String extraValue) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < labelNames.length; i++) appendLabel(b, labelNames[i], values.get(i));
            if (extraName != null) appendLabel(b, extraName, extraValue);
            return b.isEmpty() ? "" : "{" + b + "}";
        }

        private static void appendLabel(StringBuilder b, String name, String value) {
            if (!b.isEmpty()) b.append(',');
            b.append(name).append("=\"");
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }

        void header(StringBuilder out, String type) {
            out.append("# HELP ").append(name).append(' ')
                    .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        abstract void render(StringBuilder out);
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
