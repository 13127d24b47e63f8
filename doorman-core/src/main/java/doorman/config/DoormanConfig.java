package doorman.config;

import java.nio.file.Path;

/**
 * Everything the daemon reads from {@code doorman.yaml}. Keys the file leaves out take the defaults below;
 * {@code deploy/doorman.example.yaml} lists every key with its default. Relative paths in the file are taken
 * relative to the file's folder. Load with {@link #load(Path)}.
 */
public record DoormanConfig(Path dataDir, CameraConfig camera, DetectionConfig detection, QualityConfig quality,
                            LivenessConfig liveness, MatchConfig match, PolicyConfig policy, LockConfig lock,
                            HttpConfig http, AuditConfig audit, MqttConfig mqtt, int threads,
                            PicturesConfig pictures) {

    public DoormanConfig {
        Checks.present("data-dir", dataDir);
        Checks.present("camera", camera);
        Checks.present("detection", detection);
        Checks.present("quality", quality);
        Checks.present("liveness", liveness);
        Checks.present("match", match);
        Checks.present("policy", policy);
        Checks.present("lock", lock);
        Checks.present("http", http);
        Checks.present("audit", audit);
        Checks.present("mqtt", mqtt);
        Checks.between("threads", threads, 0, 64);
        Checks.present("pictures", pictures);
    }

    public static DoormanConfig defaults() {
        return new DoormanConfig(Path.of("/var/lib/doorman"), CameraConfig.defaults(), DetectionConfig.defaults(),
                QualityConfig.defaults(), LivenessConfig.defaults(), MatchConfig.defaults(), PolicyConfig.defaults(),
                LockConfig.defaults(), HttpConfig.defaults(), AuditConfig.defaults(), MqttConfig.defaults(), 0,
                PicturesConfig.defaults());
    }

    /** Reads and checks a YAML file; a wrong key, type or value throws {@link ConfigException} naming it. */
    public static DoormanConfig load(Path file) {
        return ConfigLoader.load(file);
    }

    /** Parses YAML text; {@code source} names it in error messages. Relative paths stay relative. */
    public static DoormanConfig parse(String yaml, String source) {
        return ConfigLoader.parse(yaml, source, null);
    }

    /** Inference threads: {@code threads: 0} means one per core. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    DoormanConfig resolvedAgainst(Path base) {
        return new DoormanConfig(Checks.resolve(base, dataDir), camera.resolvedAgainst(base), detection, quality,
                liveness, match.resolvedAgainst(base), policy, lock, http.resolvedAgainst(base), audit,
                mqtt.resolvedAgainst(base), threads, pictures);
    }
}
