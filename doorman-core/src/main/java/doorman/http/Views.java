package doorman.http;

import java.util.List;
import doorman.gallery.Person;
import doorman.gallery.Template;
import doorman.match.Match;
import doorman.vision.Face;

import java.util.Locale;

/** The JSON shapes the API sends: plain records, times as ISO-8601 strings, no embeddings. */
final class Views {

    private Views() {
    }

    /** {@code thumbnailFace}: the face whose thumbnail pictures the person, null when none has one. */
    record PersonView(long id, String name, boolean enabled, String created, int faces, Long thumbnailFace) {
        static PersonView of(Person p, int faces) {
            return of(p, faces, null);
        }

        static PersonView of(Person p, int faces, Long thumbnailFace) {
            return new PersonView(p.id(), p.name(), p.enabled(), p.created().toString(), faces, thumbnailFace);
        }
    }

    /** {@code warnings} are only present right after an enrollment that deserves a second look. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    record FaceView(long id, long personId, String encoder, String sha256, double quality, String created,
                    List<String> warnings, @com.fasterxml.jackson.annotation.JsonInclude boolean thumbnail) {
        static FaceView of(Template t, boolean thumbnail) {
            return of(t, List.of(), thumbnail);
        }

        static FaceView of(Template t, List<String> warnings, boolean thumbnail) {
            return new FaceView(t.id(), t.personId(), t.encoder(), t.sourceSha256(), t.quality(), t.created().toString(),
                    warnings, thumbnail);
        }
    }

    /** The lowest-numbered of {@code faces} that has a thumbnail, or null. */
    static Long thumbnailFace(List<Template> faces, java.util.Set<Long> withThumbnails) {
        return faces.stream().map(Template::id).filter(withThumbnails::contains).min(Long::compare).orElse(null);
    }

    record Box(double x, double y, double width, double height, double score) {
        static Box of(Face f) {
            return new Box(f.x(), f.y(), f.width(), f.height(), f.score());
        }
    }

    /** Distances are squared Euclidean between unit embeddings; null stands for "no template to compare". */
    record MatchView(Long personId, String name, Double distance, double probability, String decision) {
        static MatchView of(Match m) {
            return new MatchView(m.personId(), m.name(), finite(m.distance()), m.probability(),
                    m.decision().name().toLowerCase(Locale.ROOT));
        }
    }

    static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
