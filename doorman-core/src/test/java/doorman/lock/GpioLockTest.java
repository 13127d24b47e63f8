package doorman.lock;

import doorman.ManualPulseTimer;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import doorman.config.LockConfig;
import doorman.config.LockConfig.Polarity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

class GpioLockTest {

    private Context pi4j;
    private final List<DigitalState> transitions = new CopyOnWriteArrayList<>();
    private final ManualPulseTimer timer = new ManualPulseTimer();

    @BeforeEach
    void mockContext() {
        pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    private GpioLock lock(Polarity polarity) {
        GpioLock lock = new GpioLock(pi4j, 17, polarity, timer);
        assertInstanceOf(MockDigitalOutput.class, lock.output(), "the mock provider must drive the line");
        lock.output().addListener(e -> transitions.add(e.state()));
        return lock;
    }

    @ParameterizedTest
    @EnumSource(Polarity.class)
    void startsReleasedAndPulsesTheRightLevel(Polarity polarity) {
        DigitalState on = polarity == Polarity.ACTIVE_HIGH ? DigitalState.HIGH : DigitalState.LOW;
        DigitalState off = on == DigitalState.HIGH ? DigitalState.LOW : DigitalState.HIGH;
        try (GpioLock lock = lock(polarity)) {
            assertEquals(off, lock.output().state());
            assertFalse(lock.energised());
            lock.pulse(Duration.ofMillis(150));
            // pulse() returned with the relay on and its release left to the timer: it does not wait out the pulse
            assertEquals(on, lock.output().state());
            assertTrue(lock.energised());
            assertEquals(1, timer.pending());
            timer.advance(Duration.ofMillis(149));
            assertTrue(lock.energised(), "still on 1 ms before the end");
            timer.advance(Duration.ofMillis(1));
            assertEquals(off, lock.output().state());
            assertFalse(lock.energised());
            assertEquals(List.of(on, off), transitions);
        }
    }

    @Test
    void releaseCutsAPulseInProgress() {
        try (GpioLock lock = lock(Polarity.ACTIVE_LOW)) {
            lock.pulse(Duration.ofSeconds(10));
            assertTrue(lock.energised());
            lock.release();
            assertFalse(lock.energised());
            assertEquals(DigitalState.HIGH, lock.output().state());
            timer.advance(Duration.ofSeconds(20));
            assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), transitions, "the cut pulse's timer changes nothing");
        }
    }

    @Test
    void closeCutsAPulseAndRefusesFurtherPulses() {
        GpioLock lock = lock(Polarity.ACTIVE_HIGH);
        lock.pulse(Duration.ofSeconds(10));
        lock.close();
        assertFalse(lock.energised());
        assertEquals(DigitalState.LOW, lock.output().state());
        assertTrue(timer.shutdown);
        assertThrows(IllegalStateException.class, () -> lock.pulse(Duration.ofMillis(500)));
        lock.close(); // a second close is harmless
    }

    @Test
    void aPulseDuringAPulseRestartsTheTimer() {
        try (GpioLock lock = lock(Polarity.ACTIVE_HIGH)) {
            lock.pulse(Duration.ofMillis(300));
            timer.advance(Duration.ofMillis(200));
            lock.pulse(Duration.ofMillis(600));
            timer.advance(Duration.ofMillis(250)); // past the first pulse's end
            assertTrue(lock.energised(), "the first pulse's timer must not end the second pulse");
            timer.advance(Duration.ofMillis(350));
            assertFalse(lock.energised());
            assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), transitions);
        }
    }

    @Test
    void anOldPulsesTimerCannotEndANewPulse() {
        try (GpioLock lock = lock(Polarity.ACTIVE_HIGH)) {
            lock.pulse(Duration.ofMillis(100));
            lock.release();
            lock.pulse(Duration.ofMillis(800));
            timer.advance(Duration.ofMillis(300));
            assertTrue(lock.energised());
            timer.advance(Duration.ofMillis(500));
            assertFalse(lock.energised());
        }
    }

    @Test
    void unreasonablePulsesAreRefused() {
        try (GpioLock lock = lock(Polarity.ACTIVE_HIGH)) {
            assertThrows(IllegalArgumentException.class, () -> lock.pulse(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> lock.pulse(Duration.ofMillis(-5)));
            assertThrows(IllegalArgumentException.class, () -> lock.pulse(Duration.ofMinutes(5)));
            assertFalse(lock.energised());
            assertTrue(transitions.isEmpty());
        }
    }

    @Test
    void missingGpioChipGivesAClearError(@TempDir Path dev) {
        LockConfig config = new LockConfig(LockConfig.Type.GPIO, "gpiochip0", 17, Polarity.ACTIVE_HIGH, 1500);
        LockUnavailableException e = assertThrows(LockUnavailableException.class, () -> GpioLock.open(config, dev));
        assertEquals("GPIO unavailable: " + dev.resolve("gpiochip0") + " does not exist (use lock.type: dry-run to test without a relay)",
                e.getMessage());
    }

    @Test
    void aChipPi4jCannotDriveGivesAClearError(@TempDir Path dev) throws Exception {
        // a file that passes the existence check, on a machine that is not a Raspberry Pi: Pi4J itself fails
        Files.createFile(dev.resolve("gpiochip0"));
        LockConfig config = new LockConfig(LockConfig.Type.GPIO, "gpiochip0", 17, Polarity.ACTIVE_HIGH, 1500);
        LockUnavailableException e = assertThrows(LockUnavailableException.class, () -> GpioLock.open(config, dev));
        assertTrue(e.getMessage().startsWith("GPIO unavailable: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(use lock.type: dry-run to test without a relay)"), e.getMessage());
    }

    @Test
    void dryRunLockTimesPulsesWithoutHardware() {
        try (LockActuator opened = LockActuator.open(new LockConfig(LockConfig.Type.DRY_RUN, "gpiochip0", 17, Polarity.ACTIVE_HIGH, 1500))) {
            assertInstanceOf(DryRunLock.class, opened, "the config's dry-run type needs no hardware");
        }
        try (DryRunLock lock = new DryRunLock(timer)) {
            assertFalse(lock.energised());
            lock.pulse(Duration.ofMillis(100));
            assertTrue(lock.energised());
            timer.advance(Duration.ofMillis(100));
            assertFalse(lock.energised());
            lock.pulse(Duration.ofSeconds(10));
            lock.release();
            assertFalse(lock.energised());
        }
    }
}
