package doorman.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;

/**
 * The door relay. {@code gpio} drives BCM line {@code line} of {@code chip} through Pi4J's gpiod provider;
 * {@code dry-run} only logs. {@code polarity} says which level energises the relay: most opto-isolated relay
 * boards are active-low. The relay is energised only during a pulse of {@code pulseMs}.
 */
public record LockConfig(Type type, String chip, int line, Polarity polarity, int pulseMs) {

    public enum Type {
        @JsonProperty("gpio") GPIO,
        @JsonProperty("dry-run") DRY_RUN
    }

    public enum Polarity {
        @JsonProperty("active-high") ACTIVE_HIGH,
        @JsonProperty("active-low") ACTIVE_LOW
    }

    public LockConfig {
        Checks.present("lock.type", type);
        Checks.present("lock.chip", chip);
        if (!chip.matches("gpiochip[0-9]{1,3}"))
            throw new IllegalArgumentException("lock.chip must name a GPIO chip such as gpiochip0, got '" + chip + "'");
        Checks.between("lock.line", line, 0, 511);
        Checks.present("lock.polarity", polarity);
        Checks.between("lock.pulse-ms", pulseMs, 100, 10_000);
    }

    public static LockConfig defaults() {
        return new LockConfig(Type.GPIO, "gpiochip0", 17, Polarity.ACTIVE_HIGH, 1500);
    }

    public Duration pulse() {
        return Duration.ofMillis(pulseMs);
    }
}
