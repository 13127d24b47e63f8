package doorman.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BinomialIntervalTest {

    @Test
    void wilsonForFiveOfTen() {
        BinomialInterval i = BinomialInterval.of(5, 10);
        assertEquals(0.5, i.rate(), 0);
        assertEquals(0.2366, i.low(), 1e-4);
        assertEquals(0.7634, i.high(), 1e-4);
    }

    @Test
    void noneSeenGivesTheExactUpperBound() {
        BinomialInterval i = BinomialInterval.of(0, 30_000);
        assertEquals(0, i.low(), 0);
        assertEquals(1.2296e-4, i.high(), 1e-7);
        assertEquals("0/30000 (< 1.2e-04)", i.describe());
    }

    @Test
    void allSeenGivesTheExactLowerBound() {
        BinomialInterval i = BinomialInterval.of(10, 10);
        assertEquals(0.6915, i.low(), 1e-4);
        assertEquals(1, i.high(), 0);
    }
}
