package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Person;
import doorman.gallery.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Before a photo joins a person's templates: is it nearer to someone else enrolled than to the person's own photos?
 * Such a photo (the wrong person, or a poor one) pulls the person's centroid towards another and makes the door
 * mix the two up, so enrollment warns about it. A person's first photo has nothing of theirs to compare with.
 */
public final class EnrollmentCheck {

    /** The photo lies {@code otherDistance} from {@code otherName} but {@code ownDistance} from its own person's nearest photo. */
    public record Warning(String otherName, double otherDistance, double ownDistance) {
        public String describe(String ownName) {
            if (Double.isInfinite(ownDistance))
                return String.format(java.util.Locale.ROOT, "this photo looks like %s (distance %.3f), who is already"
                        + " enrolled: check it is %s", otherName, otherDistance, ownName);
            return String.format(java.util.Locale.ROOT, "this photo is closer to %s (distance %.3f) than to %s's own photos (%.3f)",
                    otherName, otherDistance, ownName, ownDistance);
        }
    }

    private EnrollmentCheck() {}

    public static Optional<Warning> check(Embedding photo, String encoder, long personId, List<Person> people, List<Template> templates) {
        return check(photo, encoder, personId, people, templates, Double.NEGATIVE_INFINITY);
    }

    /**
     * As above; a person's first photo (nothing of theirs to compare with) is also flagged when it lies within
     * {@code firstPhotoBelow} of someone else, the distance at which the door would take them for that person.
     */
    public static Optional<Warning> check(Embedding photo, String encoder, long personId, List<Person> people, List<Template> templates,
                                          double firstPhotoBelow) {
        Map<Long, String> names = people.stream().collect(Collectors.toMap(Person::id, Person::name));
        double own = Double.POSITIVE_INFINITY, other = Double.POSITIVE_INFINITY;
        long otherId = -1;
        for (Template t : templates) {
            if (!t.encoder().equals(encoder) || t.dimension() != photo.dimension()) continue;
            double d = photo.distance(t.embedding());
            if (t.personId() == personId) own = Math.min(own, d);
            else if (d < other && names.containsKey(t.personId())) {
                other = d;
                otherId = t.personId();
            }
        }
        if (own == Double.POSITIVE_INFINITY) {
            return other <= firstPhotoBelow ? Optional.of(new Warning(names.get(otherId), other, own)) : Optional.empty();
        }
        if (!(other < own)) return Optional.empty();
        return Optional.of(new Warning(names.get(otherId), other, own));
    }
}
