package doorman.lock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lock that drives nothing and logs what a relay would do: for testing the daemon without hardware. */
public final class DryRunLock extends PulsedLock {

    private static final Logger log = LoggerFactory.getLogger(DryRunLock.class);
    private volatile boolean energised;

    public DryRunLock() {
        this(PulseTimer.threaded("dry-run-lock"));
    }

    /** For tests: pulses end when {@code timer} says so. */
    public DryRunLock(PulseTimer timer) {
        super("dry-run-lock", timer);
        log.info("lock.type is dry-run: no relay is driven; unlocks are only logged");
    }

    @Override
    protected void drive(boolean energise) {
        if (energise != energised) log.info("dry run: door relay {}", energise ? "energised (door unlocked)" : "released (door locked)");
        energised = energise;
    }

    @Override
    public boolean energised() {
        return energised;
    }
}
