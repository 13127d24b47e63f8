package doorman.lock;

import doorman.config.LockConfig;

import java.time.Duration;

/**
 * The door relay. It is energised (door unlocked) only during a pulse and released (locked) at every other time:
 * when opened, when a pulse ends, on {@link #release()}, on {@link #close()} and when the JVM shuts down.
 */
public interface LockActuator extends AutoCloseable {

    /**
     * Energises the relay now and releases it {@code duration} later, without blocking. A pulse during a pulse
     * restarts the timer from now.
     */
    void pulse(Duration duration);

    /** Releases the relay at once, cutting any pulse in progress. */
    void release();

    /** Whether the relay is energised (the door unlocked) right now. */
    boolean energised();

    /** Releases the relay and frees the hardware; the lock cannot pulse afterwards. */
    @Override
    void close();

    /** Opens the lock the config names, released. A GPIO lock that cannot be opened throws {@link LockUnavailableException}. */
    static LockActuator open(LockConfig config) {
        return switch (config.type()) {
            case GPIO -> GpioLock.open(config);
            case DRY_RUN -> new DryRunLock();
        };
    }
}
