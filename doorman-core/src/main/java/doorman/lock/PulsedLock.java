package doorman.lock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The timing shared by every relay: a pulse drives the relay and schedules its release on a timer thread;
 * release and close cut the pulse; a JVM shutdown hook closes the lock so SIGTERM leaves the door locked.
 * Each pulse carries a generation number so a release scheduled for an older pulse cannot end a newer one.
 */
abstract class PulsedLock implements LockActuator {

    static final Duration LONGEST_PULSE = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(PulsedLock.class);

    private final PulseTimer timer;
    private final Thread shutdownHook;
    private PulseTimer.Pending pendingRelease;
    private long generation;
    private boolean closed;

    PulsedLock(String name, PulseTimer timer) {
        this.timer = timer;
        shutdownHook = new Thread(this::closeOnShutdown, name + "-release-on-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Sets the relay; must be quick and must not call back into this class. */
    protected abstract void drive(boolean energise);

    /** Frees the hardware after the final release. */
    protected void closeHardware() {
    }

    @Override
    public final synchronized void pulse(Duration duration) {
        if (closed) throw new IllegalStateException("the lock is closed");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_PULSE) > 0)
            throw new IllegalArgumentException("a pulse must last between 1 ms and " + LONGEST_PULSE.toSeconds() + " s, got " + duration);
        long mine = ++generation;
        cancelPending();
        try {
            drive(true);
        } catch (RuntimeException e) {
            driveReleased();
            throw e;
        }
        pendingRelease = timer.schedule(() -> endPulse(mine), duration);
    }

    private synchronized void endPulse(long pulse) {
        if (pulse != generation || closed) return;
        pendingRelease = null;
        driveReleased();
    }

    @Override
    public final synchronized void release() {
        generation++;
        cancelPending();
        driveReleased();
    }

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            generation++;
            cancelPending();
            try {
                driveReleased();
            } finally {
                timer.shutdown();
                closeHardware();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // close() was called from the hook itself, or during shutdown: the hook's work is this very call
        }
    }

    private void closeOnShutdown() {
        close();
    }

    private void cancelPending() {
        if (pendingRelease != null) pendingRelease.cancel();
        pendingRelease = null;
    }

    /** Releasing must not give up after one failed write: the door would stay open. */
    private void driveReleased() {
        RuntimeException first = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                drive(false);
                return;
            } catch (RuntimeException e) {
                if (first == null) first = e;
                log.error("could not release the door relay (attempt {} of 3): {}", attempt + 1, e.toString());
            }
        }
        throw first;
    }
}
