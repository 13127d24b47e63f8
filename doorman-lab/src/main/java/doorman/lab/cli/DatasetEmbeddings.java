package doorman.lab.cli;

import doorman.cli.PipelineOptions;
import doorman.cli.Failures;
import doorman.eval.FolderPairs;
import doorman.eval.PersonSplit;
import doorman.models.ModelFiles;
import doorman.pipeline.EncoderChoice;
import doorman.pipeline.FacePipeline;
import doorman.train.EmbeddingCache;
import doorman.vision.ImageException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The 192-d MobileFaceNet embeddings of a folder-per-person dataset, one side of the person split, cached
 * (keyed by the encoder file's sha256 and the dataset root) so repeated training runs skip the network.
 */
final class DatasetEmbeddings {

    private DatasetEmbeddings() {}

    static EmbeddingCache load(Path root, PersonSplit split, PipelineOptions options, Path cacheFile, PrintWriter err)
            throws IOException {
        ModelFiles models = options.modelFiles();
        FacePipeline.Options raw = options.options().withEncoder(EncoderChoice.RAW_192);
        EmbeddingCache.Key key = EmbeddingCache.Key.of(models.require(raw.encoder().modelFile()), root);
        Optional<EmbeddingCache> cached = EmbeddingCache.loadIfFresh(cacheFile, key);
        EmbeddingCache all;
        if (cached.isPresent()) {
            all = cached.get();
            err.println("doorman: using cached embeddings " + cacheFile);
        } else {
            all = embed(root, models, raw, key, err);
            all.save(cacheFile);
            err.println("doorman: cached " + all.entries().size() + " embeddings in " + cacheFile);
        }
        List<EmbeddingCache.Entry> kept = all.entries().stream().filter(e -> split.people().test(e.person())).toList();
        return new EmbeddingCache(all.key(), all.dimension(), kept);
    }

    private static EmbeddingCache embed(Path root, ModelFiles models, FacePipeline.Options raw, EmbeddingCache.Key key,
                                        PrintWriter err) throws IOException {
        List<List<Path>> people = FolderPairs.people(root, p -> true);
        int images = people.stream().mapToInt(List::size).sum();
        List<EmbeddingCache.Entry> entries = new ArrayList<>();
        int failures = 0;
        try (FacePipeline pipeline = FacePipeline.open(models, raw); ProgressBar bar = new ProgressBar("embedding " + root, images)) {
            for (List<Path> person : people) {
                for (Path image : person) {
                    bar.step();
                    try {
                        FacePipeline.FaceEmbedding face = pipeline.largest(image);
                        if (face == null) {
                            failures++;
                            continue;
                        }
                        entries.add(new EmbeddingCache.Entry(root.relativize(image).toString(),
                                image.getParent().getFileName().toString(), face.embedding().toArray()));
                    } catch (ImageException e) {
                        failures++;
                    }
                }
            }
        }
        if (failures > 0) err.println("doorman: " + failures + " of " + images + " images had no usable face and were skipped");
        return new EmbeddingCache(key, pipelineDimension(entries), entries);
    }

    private static int pipelineDimension(List<EmbeddingCache.Entry> entries) {
        if (entries.isEmpty()) throw Failures.badInput("no face found in any image of the dataset");
        return entries.get(0).embedding().length;
    }

    static Path defaultCache(Path root) {
        String name = root.toAbsolutePath().normalize().getFileName().toString();
        return Path.of(System.getProperty("user.home"), ".cache", "doorman", "embeddings-192-" + name + ".bin");
    }
}
