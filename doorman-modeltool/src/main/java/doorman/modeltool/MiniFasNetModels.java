package doorman.modeltool;

import doorman.tflite.onnx.OnnxToTflite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Build step for the liveness models: Silent-Face's MiniFASNet V2 and V1SE are committed as ONNX under
 * models/upstream/minifasnet (with their Apache-2.0 licence and SOURCE.md); each file's sha256 is checked against
 * the pin here and converted to TFLite with our own converter.
 */
public final class MiniFasNetModels {

    /** One pinned upstream file and the TFLite file derived from it (the name the runtime's ModelFiles looks for). */
    record Pinned(String onnx, String sha256, String tflite) {}

    static final List<Pinned> PINNED = List.of(
            new Pinned("MiniFASNetV2.onnx", "4eed38f0bde33c9b805942a5f25e42ce1161e2bda545254be622be957727794e", "minifasnet-v2.tflite"),
            new Pinned("MiniFASNetV1SE.onnx", "d819a69bac6b9ade2a0f4d9b60b618e1260f7bf3ba1fddff6c5d82131cb1083f", "minifasnet-v1se.tflite"));

    private MiniFasNetModels() {}

    /** Converts both models from {@code committedModels/upstream/minifasnet} into {@code outputDir}. */
    public static void derive(Path committedModels, Path outputDir) throws IOException {
        Path upstream = committedModels.resolve("upstream").resolve("minifasnet");
        for (Pinned p : PINNED) {
            Path source = upstream.resolve(p.onnx());
            if (!Files.isRegularFile(source)) throw new IOException("missing " + source + " (it is committed with the project)");
            byte[] onnx = Files.readAllBytes(source);
            String got = sha256(onnx);
            if (!got.equals(p.sha256()))
                throw new IOException("sha256 mismatch for " + source + ": got " + got + ", want " + p.sha256());
            Path target = outputDir.resolve(p.tflite());
            DeriveModels.writeAtomically(target, OnnxToTflite.convert(onnx));
            System.out.println("derived " + target);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
