package doorman.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MetricsTest {

    @Test
    void countersRenderPerLabelSetInPrometheusTextFormat() {
        Metrics m = new Metrics();
        m.recordDecision("accept");
        m.recordDecision("accept");
        m.recordDecision("unknown");
        m.recordUnlock("manual");
        String text = m.render();
        assertTrue(text.contains("# TYPE doorman_decisions_total counter\n"), text);
        assertTrue(text.contains("doorman_decisions_total{action=\"accept\"} 2\n"), text);
        assertTrue(text.contains("doorman_decisions_total{action=\"unknown\"} 1\n"), text);
        assertTrue(text.contains("doorman_unlocks_total{source=\"manual\"} 1\n"), text);
        assertTrue(text.indexOf("doorman_decisions_total") < text.indexOf("doorman_unlocks_total"), "sorted by name");
    }

    @Test
    void summaryGivesQuantilesSumAndCount() {
        Metrics m = new Metrics();
        for (int i = 1; i <= 100; i++) m.recordStage("detect", i * 1_000_000L); // 1..100 ms
        String text = m.render();
        assertTrue(text.contains("# TYPE doorman_stage_seconds summary\n"), text);
        assertTrue(text.contains("doorman_stage_seconds{stage=\"detect\",quantile=\"0.5\"} 0.05\n"), text);
        assertTrue(text.contains("doorman_stage_seconds{stage=\"detect\",quantile=\"0.99\"} 0.099\n"), text);
        assertTrue(text.contains("doorman_stage_seconds_count{stage=\"detect\"} 100\n"), text);
        assertTrue(text.contains("doorman_stage_seconds_sum{stage=\"detect\"} 5.05"), text);
    }

    @Test
    void quantilesFollowTheRecentWindowWhileCountAndSumCoverEverything() {
        Summary s = new Metrics().summary("x_seconds", "x");
        for (int i = 0; i < Summary.WINDOW; i++) s.observe(10);
        for (int i = 0; i < Summary.WINDOW; i++) s.observe(1);
        assertEquals(2L * Summary.WINDOW, s.count());
        StringBuilder out = new StringBuilder();
        s.render(out);
        assertTrue(out.toString().contains("x_seconds{quantile=\"0.99\"} 1\n"), out.toString());
    }

    @Test
    void oneCallRecordingRegistersOnFirstUse() {
        Metrics m = new Metrics();
        m.count("doorman_frames_total", "recognition", "none");
        m.count("doorman_frames_total", "recognition", "none");
        m.observe("doorman_frame_seconds", 0.25);
        m.observe(Metrics.STAGE_SECONDS, "stage", "quality", 0.002);
        String text = m.render();
        assertTrue(text.contains("doorman_frames_total{recognition=\"none\"} 2\n"), text);
        assertTrue(text.contains("doorman_frame_seconds_count 1\n"), text);
        assertTrue(text.contains("doorman_stage_seconds{stage=\"quality\",quantile=\"0.5\"} 0.002\n"), text);
        assertTrue(text.contains("# HELP doorman_frame_seconds Time to process one camera frame in seconds.\n"), text);
    }

    @Test
    void labelValuesAreEscaped() {
        Metrics m = new Metrics();
        m.counter("odd_total", "odd labels", "v").inc("a\"b\\c\nd");
        assertTrue(m.render().contains("odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"), m.render());
    }

    @Test
    void registeringAgainReturnsTheSameMetricAndConflictsAreRefused() {
        Metrics m = new Metrics();
        Counter a = m.counter("c_total", "c", "k");
        assertSame(a, m.counter("c_total", "c", "k"));
        assertThrows(IllegalArgumentException.class, () -> m.summary("c_total", "c", "k"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("c_total", "c", "other"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("bad name", "c"));
        assertThrows(IllegalArgumentException.class, () -> a.inc("one", "two"));
        assertThrows(IllegalArgumentException.class, () -> a.add(-1, "k"));
    }

    @Test
    void emptySummaryRendersNaNQuantilesOnlyOnceObserved() {
        Metrics m = new Metrics();
        m.summary("idle_seconds", "never observed");
        assertEquals("# HELP idle_seconds never observed\n# TYPE idle_seconds summary\n", m.render());
    }
}
