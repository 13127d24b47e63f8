package doorman.metrics;

/** A value that goes up and down (camera up or down, frames dropped so far); unlabelled. */
public final class Gauge extends Metrics.Metric {

    private volatile double value;

    Gauge(String name, String help) {
        super(name, help, new String[0]);
    }

    public void set(double v) {
        value = v;
    }

    public double value() {
        return value;
    }

    @Override
    void render(StringBuilder out) {
        header(out, "gauge");
        out.append(name).append(' ').append(Metrics.number(value)).append('\n');
    }
}
