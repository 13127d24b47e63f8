package doorman.eval;

/**
 * A rate measured as {@code successes} of {@code trials} with a 95 % interval: Wilson's score interval, except at
 * the edges, where the exact Clopper-Pearson bound is used (with no success seen, the upper bound is
 * {@code 1 - 0.025^(1/n)}, about 3.7 / n: "none in n" says only that much).
 */
public record BinomialInterval(long successes, long trials, double low, double high) {

    private static final double Z = 1.959963984540054;

    public BinomialInterval {
        if (trials < 0 || successes < 0 || successes > trials)
            throw new IllegalArgumentException(successes + " of " + trials + " is not a count");
    }

    public static BinomialInterval of(long successes, long trials) {
        if (trials == 0) return new BinomialInterval(0, 0, 0, 1);
        if (successes == 0) return new BinomialInterval(0, trials, 0, 1 - Math.pow(0.025, 1.0 / trials));
        if (successes == trials) return new BinomialInterval(trials, trials, Math.pow(0.025, 1.0 / trials), 1);
        double n = trials, p = successes / n, z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new BinomialInterval(successes, trials, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** The point estimate; NaN without trials. */
    public double rate() {
        return trials == 0 ? Double.NaN : (double) successes / trials;
    }

    /** Like "3/41200 = 7.3e-05 [1.5e-05, 2.1e-04]" or "0/41200 (< 9.0e-05)". */
    public String describe() {
        if (trials == 0) return "no trials";
        if (successes == 0) return String.format(java.util.Locale.ROOT, "0/%d (< %.1e)", trials, high);
        return String.format(java.util.Locale.ROOT, "%d/%d = %s [%s, %s]", successes, trials, fmt(rate()), fmt(low), fmt(high));
    }

    static String fmt(double r) {
        return r >= 0.01 ? String.format(java.util.Locale.ROOT, "%.2f%%", 100 * r) : String.format(java.util.Locale.ROOT, "%.1e", r);
    }
}
