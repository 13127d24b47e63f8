package doorman.lock;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import doorman.config.LockConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A relay on a GPIO line, driven through Pi4J. The line starts released, Pi4J's shutdown state is released too,
 * and {@link PulsedLock} releases it on close and on JVM shutdown.
 *
 * <p>Pi4J 2.8's gpiod provider picks the board's first GPIO chip whose label contains "pinctrl" by itself
 * (gpiochip0 on a Raspberry Pi 4); {@code lock.chip} is checked before Pi4J starts so a board without GPIO
 * fails with a clear message.
 */
public final class GpioLock extends PulsedLock {

    private static final Logger log = LoggerFactory.getLogger(GpioLock.class);
    private static final String DRY_RUN_HINT = " (use lock.type: dry-run to test without a relay)";

    private final Context pi4j;
    private final boolean ownsContext;
    private final DigitalOutput output;
    private final DigitalState energisedState;
    private final DigitalState releasedState;

    /**
     * Drives {@code line} through a Pi4J context the caller built and will shut down, e.g. one with the mock
     * digital-output provider in tests.
     */
    public GpioLock(Context pi4j, int line, LockConfig.Polarity polarity) {
        this(pi4j, line, polarity, false);
    }

    /** For tests: pulses end when {@code timer} says so. */
    public GpioLock(Context pi4j, int line, LockConfig.Polarity polarity, PulseTimer timer) {
        this(pi4j, line, polarity, false, timer);
    }

    private GpioLock(Context pi4j, int line, LockConfig.Polarity polarity, boolean ownsContext) {
        this(pi4j, line, polarity, ownsContext, PulseTimer.threaded("gpio-lock"));
    }

    private GpioLock(Context pi4j, int line, LockConfig.Polarity polarity, boolean ownsContext, PulseTimer timer) {
        super("gpio-lock", timer);
        this.pi4j = pi4j;
        this.ownsContext = ownsContext;
        this.energisedState = polarity == LockConfig.Polarity.ACTIVE_HIGH ? DigitalState.HIGH : DigitalState.LOW;
        this.releasedState = polarity == LockConfig.Polarity.ACTIVE_HIGH ? DigitalState.LOW : DigitalState.HIGH;
        DigitalOutput created = null;
        try {
            created = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                    .id("door-relay-" + line).name("Door relay").address(line)
                    .initial(releasedState).shutdown(releasedState)
                    .build());
            created.state(releasedState);
        } catch (RuntimeException | LinkageError e) {
            close(); // also shuts down a context we own
            throw new LockUnavailableException("GPIO unavailable: cannot drive line " + line + ": " + e + DRY_RUN_HINT, e);
        }
        this.output = created;
        log.info("door relay on GPIO line {} ({}), released", line, polarity == LockConfig.Polarity.ACTIVE_HIGH ? "active-high" : "active-low");
    }

    /** Opens the relay the config names through Pi4J's gpiod provider. */
    public static GpioLock open(LockConfig config) {
        return open(config, Path.of("/dev"));
    }

    static GpioLock open(LockConfig config, Path devices) {
        Path chip = devices.resolve(config.chip());
        if (!Files.exists(chip))
            throw new LockUnavailableException("GPIO unavailable: " + chip + " does not exist" + DRY_RUN_HINT, null);
        if (!Files.isReadable(chip) || !Files.isWritable(chip))
            throw new LockUnavailableException("GPIO unavailable: " + chip + " is not readable and writable by user "
                    + System.getProperty("user.name") + " (add it to the group that owns " + chip + ", usually gpio)" + DRY_RUN_HINT, null);
        Context context;
        try {
            context = Pi4J.newContextBuilder()
                    .noAutoDetect()
                    .add(GpioDDigitalOutputProvider.newInstance())
                    // our own shutdown hook releases the relay first, then shuts this context down
                    .disableShutdownHook()
                    .build();
        } catch (RuntimeException | LinkageError e) {
            throw new LockUnavailableException("GPIO unavailable: Pi4J's gpiod provider did not start: " + e + DRY_RUN_HINT, e);
        }
        return new GpioLock(context, config.line(), config.polarity(), true);
    }

    @Override
    protected void drive(boolean energise) {
        if (output == null) return; // construction failed before the line existed: nothing to drive
        output.state(energise ? energisedState : releasedState);
    }

    @Override
    public boolean energised() {
        return output != null && output.state() == energisedState;
    }

    @Override
    protected void closeHardware() {
        if (ownsContext) shutdownQuietly(pi4j);
    }

    /** The Pi4J output, for tests that watch the line. */
    public DigitalOutput output() {
        return output;
    }

    private static void shutdownQuietly(Context context) {
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            log.warn("Pi4J context did not shut down cleanly: {}", e.toString());
        }
    }
}
