package doorman.gallery;

import java.time.Instant;
import java.util.Objects;

/** Someone enrolled at the door. Disabled people stay in the gallery but are never recognised. */
public record Person(long id, String name, Instant created, boolean enabled) {

    public Person {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
    }
}
