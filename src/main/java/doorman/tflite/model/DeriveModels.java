package doorman.tflite.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Build step: derives our own model files from the fetched ones, so a fresh clone gets them with the
 * ordinary build. Arguments: the fetched-models folder (outputs go there too) and the committed models/ folder.
 */
public final class DeriveModels {

    public static final String MOBILEFACENET = "MobileFaceNet.tflite";
    public static final String MOBILEFACENET_B1 = "mobilefacenet-b1.tflite";

    public static void main(String[] args) throws IOException {
        if (args.length < 1) throw new IllegalArgumentException("usage: DeriveModels FETCHED_DIR [MODELS_DIR]");
        Path fetched = Path.of(args[0]);
        Path source = fetched.resolve(MOBILEFACENET);
        if (!Files.isRegularFile(source))
            throw new IOException("missing " + source + ": run models/fetch first (the build does it by itself)");
        Path target = fetched.resolve(MOBILEFACENET_B1);
        writeAtomically(target, BatchFix.toBatchOne(Files.readAllBytes(source), 2));
        System.out.println("derived " + target);
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
