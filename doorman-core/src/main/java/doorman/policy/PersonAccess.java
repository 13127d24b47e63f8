package doorman.policy;

import java.util.Objects;

/** Whether and when an enrolled person may open the door. */
public record PersonAccess(String personId, String name, boolean enabled, PersonSchedule schedule) {

    public PersonAccess {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(schedule, "schedule");
        name = name == null ? personId : name;
    }

    public static PersonAccess always(String personId, String name) {
        return new PersonAccess(personId, name, true, PersonSchedule.ALWAYS);
    }
}
