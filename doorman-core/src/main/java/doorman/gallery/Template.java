package doorman.gallery;

import doorman.embedding.Embedding;

import java.time.Instant;
import java.util.Objects;

/**
 * One enrolled photo of a person, reduced to its embedding. {@code encoder} names the embedding space
 * (templates of different encoders are never compared); {@code sourceSha256} identifies the photo.
 */
public record Template(long id, long personId, Embedding embedding, String encoder, String sourceSha256,
                       double quality, Instant created) {

    public Template {
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(sourceSha256, "sourceSha256");
        Objects.requireNonNull(created, "created");
    }

    public int dimension() {
        return embedding.dimension();
    }
}
