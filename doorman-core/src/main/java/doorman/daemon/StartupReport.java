package doorman.daemon;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.config.DoormanConfig;
import doorman.config.RiskySettings;
import doorman.gallery.Gallery;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * What a careful owner should see in the journal at every start: risky settings (one warning line each, and a
 * metric), records the gallery quarantined (one error line each, and an audit event), and which settings were
 * loaded (an audit event with their hash, so a changed configuration shows in the audit trail).
 */
public final class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private StartupReport() {
    }

    public static List<String> report(DoormanConfig config, Gallery gallery, AuditLog audit, Metrics metrics, Clock clock) {
        List<String> risks = RiskySettings.of(config);
        for (String risk : risks) {
            log.warn("RISKY SETTING: {}", risk);
            metrics.count("doorman_risky_settings_total", "setting", risk.substring(0, risk.indexOf(' ')));
            metrics.warn(risk);
        }
        audit.recordOrLog(admin(clock, "config loaded (settings sha256 " + hash(config.toString()) + ", "
                + risks.size() + " risky setting(s))"));
        quarantine(gallery, audit, clock);
        return risks;
    }

    /** Audits what the gallery repaired when it opened, and logs and audits every record it refused. */
    public static void quarantine(Gallery gallery, AuditLog audit, Clock clock) {
        for (String repair : gallery.repairs()) audit.recordOrLog(admin(clock, repair)); // logged by the gallery
        for (Gallery.Quarantined q : gallery.quarantined()) {
            log.error(q.line());
            audit.recordOrLog(admin(clock, q.line()));
        }
    }

    private static AuditEvent admin(Clock clock, String what) {
        return new AuditEvent(0, clock.instant(), Action.ADMIN, null, null, Double.NaN, Double.NaN, Double.NaN, "", what);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
