package doorman.lock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The timing shared by every relay: a pulse drives the relay and schedules its release on a timer thread;
 * release and close cut the pulse; a JVM shutdown hook closes the lock so SIGTERM leaves the door locked.
 * Each pulse carries a generation number so a release scheduled for an older pulse cannot end a newer one.
 * A pulse during a pulse extends it, but the relay is never held longer than {@link #holdCap} in one go, however
 * often and from however many sources it is asked.
 */
abstract class PulsedLock implements LockActuator {

    static final Duration LONGEST_PULSE = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(PulsedLock.class);

    private final PulseTimer timer;
    private final Thread shutdownHook;
    private PulseTimer.Pending pendingRelease;
    private long generation;
    /** The timer's nanoTime() when the relay was last energised from released; meaningful while a pulse is pending. */
    private long energisedSince;
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
        long now = timer.nanoTime();
        boolean holding = pendingRelease != null; // a pending release means the relay is still energised
        if (!holding) energisedSince = now;
        long mine = ++generation;
        cancelPending();
        try {
            drive(true);
        } catch (RuntimeException e) {
            driveReleased();
            throw e;
        }
        pendingRelease = timer.schedule(() -> endPulse(mine), Duration.ofNanos(remainingHold(now, energisedSince, duration.toNanos())));
    }

    /** The longest a relay stays energised in one go: twice the pulse asked for, and never beyond {@link #LONGEST_PULSE}. */
    static long holdCap(long pulseNanos) {
        return Math.min(2 * pulseNanos, LONGEST_PULSE.toNanos());
    }

    /** How long from {@code now} a pulse of {@code pulseNanos} may keep the relay energised since {@code since}. */
    static long remainingHold(long now, long since, long pulseNanos) {
        long capEnd = since + holdCap(pulseNanos);
        return Math.max(1, Math.min(pulseNanos, capEnd - now));
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
