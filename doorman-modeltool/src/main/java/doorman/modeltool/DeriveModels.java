package doorman.modeltool;

import doorman.tflite.model.BatchFix;
import doorman.tflite.model.HeadAppender;
import doorman.tflite.model.PreluFusion;
import doorman.modeltool.LinearHead;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Build step: derives our own model files from the fetched ones and the committed head and calibrations, so a
 * fresh clone gets them with the ordinary build. Arguments: the fetched-models folder (outputs go there too)
 * and the committed models/ folder.
 */
public final class DeriveModels {

    public static final String HEAD_128 = "head-128.bin";
    /** Output names; the runtime's {@code doorman.models.ModelFiles} looks for the same names (checked by a test). */
    public static final String MOBILEFACENET = "mobilefacenet-b1.tflite";
    public static final String ENCODER_128 = "encoder-128.tflite";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: DeriveModels FETCHED_DIR MODELS_DIR");
        Path fetched = Path.of(args[0]);
        Path committed = Path.of(args[1]);
        Path source = fetched.resolve("MobileFaceNet.tflite");
        if (!Files.isRegularFile(source))
            throw new IOException("missing " + source + ": run models/fetch first (the build does it by itself)");
        Path batchOne = fetched.resolve(MOBILEFACENET);
        // PReLU fusion gives bit-identical outputs and about a fifth less time per face under XNNPACK
        writeAtomically(batchOne, PreluFusion.fuse(BatchFix.toBatchOne(Files.readAllBytes(source), 2)));
        System.out.println("derived " + batchOne);
        Path head = committed.resolve(HEAD_128);
        if (Files.isRegularFile(head)) {
            LinearHead learned = LinearHead.load(head);
            Path encoder = fetched.resolve(ENCODER_128);
            writeAtomically(encoder, encoder128(Files.readAllBytes(batchOne), learned));
            System.out.println("derived " + encoder);
        }
        MiniFasNetModels.derive(committed, fetched);
        try (DirectoryStream<Path> calibrations = Files.newDirectoryStream(committed, "{calibration,stranger-curve}-*.json")) {
            for (Path c : calibrations) Files.copy(c, fetched.resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The shipped 128-d encoder: the batch-1 MobileFaceNet with its spelled-out PReLUs fused into PRELU ops and our
     * head appended; float32 weights, since float16 and int8 variants were no faster (README, quantisation table).
     */
    public static byte[] encoder128(byte[] fusedMobileFaceNet, LinearHead head) {
        return HeadAppender.append(fusedMobileFaceNet, head.weights(), head.bias(), "embedding128");
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
