package doorman.pictures;

import doorman.audit.AuditEvent;
import doorman.gallery.DataDirectory;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import doorman.vision.Face;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a snapshot of the face at each refused visit (a stranger, or a known face turned away: not live, disabled,
 * outside their schedule), one per audit event. The door loop hands over the frame right after the decision; this
 * takes a small copy of the face region at once (well under a millisecond) and encodes, seals and writes it on its
 * own thread, so a slow or full disk never delays the door. Nothing here throws into the loop: a snapshot that
 * cannot be made is counted in {@code doorman_snapshot_failures_total}, and only the first failure is logged.
 * The store is pruned every hour as well.
 */
public final class RefusedVisitSnapshots implements AutoCloseable {

    /** Snapshots waiting for the disk; beyond this a new one is dropped (and counted). */
    static final int MAX_PENDING = 8;
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    static final String FAILURES = "doorman_snapshot_failures_total";
    static final String STORED = "doorman_snapshots_total";
    private static final Logger log = LoggerFactory.getLogger(RefusedVisitSnapshots.class);

    private final SnapshotStore store;
    private final Metrics metrics;
    private final ScheduledExecutorService worker;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    public RefusedVisitSnapshots(SnapshotStore store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "doorman-snapshots");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        if (store.enabled())
            worker.scheduleWithFixedDelay(this::prune, PRUNE_EVERY.toMinutes(), PRUNE_EVERY.toMinutes(), TimeUnit.MINUTES);
    }

    /** Whether this action is a refused visit that gets a snapshot. */
    public static boolean refused(Action action) {
        return action == Action.STRANGER_EVENT || action == Action.DENIED;
    }

    /**
     * From the door loop, after the decision was audited: keeps the face of a refused visit. {@code event} is the
     * stored event (null or id 0: none was stored, so there is nothing to attach the snapshot to). Never throws.
     */
    public void offer(AuditEvent event, Mat frame, Face face) {
        if (event == null || event.id() == 0 || face == null || !refused(event.action()) || !store.enabled()) return;
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            failed("queue", "the disk is not keeping up (" + MAX_PENDING + " waiting)");
            return;
        }
        Mat small;
        try {
            small = FacePictures.snapshotImage(frame, face);
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            failed("crop", e.toString());
            return;
        }
        try {
            worker.execute(() -> write(event, small));
        } catch (RejectedExecutionException closed) {
            pending.decrementAndGet();
            small.release();
        }
    }

    private void write(AuditEvent event, Mat small) {
        try {
            store.put(event.id(), event.time(), FacePictures.jpeg(small));
            metrics.counter(STORED, "Snapshots of refused visits stored.").inc();
        } catch (Exception e) { // IOException from the disk, or anything else: never the door's problem
            failed("write", DataDirectory.describe(e));
        } finally {
            small.release();
            pending.decrementAndGet();
        }
    }

    private void prune() {
        try {
            int removed = store.prune();
            if (removed > 0) log.info("snapshots: deleted {} past their time or their event", removed);
        } catch (RuntimeException e) {
            failed("prune", e.toString());
        }
    }

    private void failed(String stage, String why) {
        metrics.counter(FAILURES, "Snapshots of refused visits not stored, by stage.", "stage").inc(stage);
        if (failureLogged.compareAndSet(false, true))
            log.warn("snapshots: could not keep a refused visit's snapshot ({}: {}); the door is unaffected, further"
                    + " failures are only counted in {}", stage, why, FAILURES);
    }

    /** Finishes the snapshots already taken (at most a moment), then stops. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(500, TimeUnit.MILLISECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
