package doorman.config;

import java.time.Duration;

/** How long audit events are kept: older than {@code retentionDays}, or beyond {@code maxEvents}, they are pruned. */
public record AuditConfig(int retentionDays, int maxEvents) {

    public AuditConfig {
        Checks.between("audit.retention-days", retentionDays, 1, 3650);
        Checks.between("audit.max-events", maxEvents, 100, 10_000_000);
    }

    public static AuditConfig defaults() {
        return new AuditConfig(90, 100_000);
    }

    public Duration retention() {
        return Duration.ofDays(retentionDays);
    }
}
