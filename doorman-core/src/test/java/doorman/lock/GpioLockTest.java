package doorman.lock;

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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

class GpioLockTest {

    private Context pi4j;
    private final List<DigitalState> transitions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void mockContext() {
        pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    private GpioLock lock(Polarity polarity) {
        GpioLock lock = new GpioLock(pi4j, 17, polarity);
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
            long start = System.nanoTime();
            lock.pulse(Duration.ofMillis(150));
            assertTrue(System.nanoTime() - start < 100_000_000L, "pulse() must not block for the pulse");
            assertEquals(on, lock.output().state());
            assertTrue(lock.energised());
            waitFor(() -> !lock.energised(), 3000);
            assertEquals(off, lock.output().state());
            assertTrue(System.nanoTime() - start >= 150_000_000L, "released only after the pulse");
            assertEquals(List.of(on, off), transitions);
        }
    }

    @Test
    void releaseCutsAPulseInProgress() throws Exception {
        try (GpioLock lock = lock(Polarity.ACTIVE_LOW)) {
            lock.pulse(Duration.ofSeconds(10));
            assertTrue(lock.energised());
            lock.release();
            assertFalse(lock.energised());
            assertEquals(DigitalState.HIGH, lock.output().state());
            Thread.sleep(100);
            assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), transitions);
        }
    }

    @Test
    void closeCutsAPulseAndRefusesFurtherPulses() {
        GpioLock lock = lock(Polarity.ACTIVE_HIGH);
        lock.pulse(Duration.ofSeconds(10));
        lock.close();
        assertFalse(lock.energised());
        assertEquals(DigitalState.LOW, lock.output().state());
        assertThrows(IllegalStateException.class, () -> lock.pulse(Duration.ofMillis(500)));
        lock.close(); // a second close is harmless
    }

    @Test
    void aPulseDuringAPulseRestartsTheTimer() throws Exception {
        try (GpioLock lock = lock(Polarity.ACTIVE_HIGH)) {
            lock.pulse(Duration.ofMillis(300));
            Thread.sleep(200);
            lock.pulse(Duration.ofMillis(600));
            Thread.sleep(250); // past the first pulse's end
            assertTrue(lock.energised(), "the first pulse's timer must not end the second pulse");
            waitFor(() -> !lock.energised(), 3000);
            assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), transitions);
        }
    }

    @Test
    void anOldPulsesTimerCannotEndANewPulse() throws Exception {
        try (GpioLock lock = lock(Polarity.ACTIVE_HIGH)) {
            lock.pulse(Duration.ofMillis(100));
            lock.release();
            lock.pulse(Duration.ofMillis(800));
            Thread.sleep(300);
            assertTrue(lock.energised());
            lock.release();
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
        try (LockActuator lock = LockActuator.open(new LockConfig(LockConfig.Type.DRY_RUN, "gpiochip0", 17, Polarity.ACTIVE_HIGH, 1500))) {
            assertInstanceOf(DryRunLock.class, lock);
            assertFalse(lock.energised());
            lock.pulse(Duration.ofMillis(100));
            assertTrue(lock.energised());
            waitFor(() -> !lock.energised(), 3000);
            lock.pulse(Duration.ofSeconds(10));
            lock.release();
            assertFalse(lock.energised());
        }
    }

    static void waitFor(BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("condition not met within " + millis + " ms");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
