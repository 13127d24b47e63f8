package doorman.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Liveness is on by default, with the calibrated threshold, and every frame of the streak must be live. */
class LivenessDefaultsConfigTest {

    private static DoormanConfig parse(String yaml) {
        return DoormanConfig.parse(yaml, "test.yaml");
    }

    @Test
    void defaultsWantEveryFrameLiveAndTheCalibratedThreshold() {
        DoormanConfig c = parse("data-dir: /tmp/x\n");
        assertTrue(c.liveness().enabled());
        assertNull(c.liveness().threshold(), "null: the threshold comes from calibration-liveness.json");
        assertEquals(3, c.policy().requiredLiveFrames());
    }

    @Test
    void aLongerStreakStillWantsEveryFrameLive() {
        assertEquals(5, parse("data-dir: /tmp/x\npolicy: {frames: 5}\n").policy().requiredLiveFrames());
        assertEquals(2, parse("data-dir: /tmp/x\npolicy: {frames: 2}\n").policy().requiredLiveFrames());
    }

    @Test
    void liveFramesCanBeLoweredButNotAboveTheStreak() {
        assertEquals(3, parse("data-dir: /tmp/x\npolicy: {frames: 4, live-frames: 3}\n").policy().requiredLiveFrames());
        ConfigException e = assertThrows(ConfigException.class, () -> parse("data-dir: /tmp/x\npolicy: {frames: 2, live-frames: 3}\n"));
        assertTrue(e.getMessage().contains("policy.live-frames"), e.getMessage());
    }

    @Test
    void anExplicitThresholdIsChecked() {
        assertEquals(0.6, parse("data-dir: /tmp/x\nliveness: {threshold: 0.6}\n").liveness().threshold());
        ConfigException e = assertThrows(ConfigException.class, () -> parse("data-dir: /tmp/x\nliveness: {threshold: 2}\n"));
        assertTrue(e.getMessage().contains("liveness.threshold"), e.getMessage());
        ConfigException one = assertThrows(ConfigException.class, () -> parse("data-dir: /tmp/x\nliveness: {threshold: 1}\n"));
        assertTrue(one.getMessage().contains("liveness.threshold must be below 1"), one.getMessage());
    }
}
