package doorman.lab.cli;

import doorman.train.PcaHead;
import doorman.cli.Doorman;
import doorman.cli.Images;
import doorman.cli.PipelineOptions;
import doorman.eval.PersonSplit;
import doorman.models.ModelFiles;
import doorman.modeltool.DeriveModels;
import doorman.train.EmbeddingCache;
import doorman.modeltool.LinearHead;
import doorman.train.Mining;
import doorman.train.TrainingOptions;
import doorman.train.TrainingResult;
import doorman.train.TripletTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Learns the 192 -> 128 head with the triplet loss on the training side of the person split, saves it
 * (and the PCA head it started from, for comparison) and writes the one-file 128-d TFLite encoder.
 */
@Command(name = "train", description = "Train the 128-d head with the triplet loss on a folder per person.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--root", required = true, description = "Folder per person (e.g. ../shared/datasets/lfw-train).")
    Path root;

    @Option(names = "--out", defaultValue = "models", description = "Where head-128.bin and pca-128.bin go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--cache", description = "Embedding cache file (default: ~/.cache/doorman/embeddings-192-<root>.bin).")
    Path cache;

    @Option(names = "--epochs", defaultValue = "100", description = "At most this many epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    // 3e-4 and 64 people x 4 images gave the best validation accuracy of the alpha-0.2 settings tried (README).
    @Option(names = "--learning-rate", defaultValue = "3e-4", description = "Adam step size. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--people-per-batch", defaultValue = "64", description = "People in a batch. Default: ${DEFAULT-VALUE}.")
    int peoplePerBatch;

    @Option(names = "--images-per-person", defaultValue = "4", description = "Images of each person in a batch. Default: ${DEFAULT-VALUE}.")
    int imagesPerPerson;

    @Option(names = "--alpha", defaultValue = "0.2", description = "Triplet margin. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--mining", defaultValue = "batch-hard", description = "batch-hard or semi-hard. Default: ${DEFAULT-VALUE}.")
    String mining;

    @Option(names = "--seed", defaultValue = "1", description = "Seed: the same seed gives the same head. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outText = spec.commandLine().getOut();
        Path cacheFile = cache != null ? cache : DatasetEmbeddings.defaultCache(root);
        Files.createDirectories(cacheFile.toAbsolutePath().getParent());
        EmbeddingCache data = DatasetEmbeddings.load(root, PersonSplit.TRAIN, pipelineOptions, cacheFile, err);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(epochs).withAlpha(alpha).withSeed(seed)
                .withLearningRate(learningRate).withBatch(peoplePerBatch, imagesPerPerson)
                .withMining(Mining.valueOf(mining.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        err.println("doorman: training on " + data.people().size() + " people, " + data.entries().size()
                + " faces (held-out people excluded)");
        TrainingResult result = new TripletTrainer(options).train(data.embeddings(), data.personIds(), epoch ->
                err.printf(Locale.ROOT, "epoch %3d  loss %.4f  active triplets %5.1f%%  validation accuracy %.2f%%%n",
                        epoch.epoch(), epoch.trainLoss(), 100 * epoch.activeFraction(), 100 * epoch.validationAccuracy()));
        Files.createDirectories(out);
        Path head = out.resolve("head-128.bin");
        result.head().save(head);
        PcaHead.fit(data.embeddings(), 128).save(out.resolve("pca-128.bin"));
        ModelFiles models = pipelineOptions.modelFiles();
        Path encoder = models.dir().resolve(ModelFiles.ENCODER_128);
        Files.write(encoder, DeriveModels.encoder128(Files.readAllBytes(models.require(ModelFiles.MOBILEFACENET)), result.head()));
        outText.printf(Locale.ROOT, "best epoch %d: validation accuracy %.2f%% (PCA start %.2f%%) on %d pairs of %d validation people%s%n",
                result.bestEpoch(), 100 * result.validationAccuracy(), 100 * result.pcaValidationAccuracy(),
                result.validationPairs(), result.validationPeople(), result.stoppedEarly() ? "; stopped early" : "");
        outText.println("wrote " + head + ", " + out.resolve("pca-128.bin") + " and " + encoder);
        outText.flush();
        return Doorman.OK;
    }
}
