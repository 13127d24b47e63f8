package doorman.policy;

import java.util.Objects;

/** The policy's answer to one frame: what to do, about whom (null when no one), and why in a few words. */
public record Decision(Action action, Long personId, String reason) {

    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    static Decision none(Long personId, String reason) {
        return new Decision(Action.NONE, personId, reason);
    }
}
