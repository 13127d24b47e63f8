package doorman.policy;

import java.util.Objects;

/** Whether and when an enrolled person may open the door. */
public record PersonAccess(long personId, String name, boolean enabled, PersonSchedule schedule) {

    public PersonAccess {
        Objects.requireNonNull(schedule, "schedule");
        name = name == null ? "person " + personId : name;
    }

    public static PersonAccess always(long personId, String name) {
        return new PersonAccess(personId, name, true, PersonSchedule.ALWAYS);
    }
}
