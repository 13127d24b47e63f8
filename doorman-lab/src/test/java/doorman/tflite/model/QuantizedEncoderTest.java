package doorman.tflite.model;

import doorman.embedding.FaceEncoder;
import doorman.models.ModelFiles;
import doorman.tflite.TfliteModel;
import doorman.vision.BlazeFaceDetector;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import doorman.vision.ImageDecoder;
import doorman.camera.OpenCv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The weight variants load on JavaCPP TFLite (XNNPACK) and embed real aligned faces close to the float32 encoder.
 * The similarities are printed so reports can quote them.
 */
class QuantizedEncoderTest {

    private static final List<Mat> faces = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void alignSampleFaces() throws IOException {
        OpenCv.load();
        List<Path> images = new ArrayList<>();
        for (String set : new String[]{"samples/bbt", "samples/johns"}) {
            try (Stream<Path> people = Files.list(doorman.TestData.dataset(set))) {
                for (Path person : people.filter(p -> !p.getFileName().toString().startsWith("_")).sorted().toList()) {
                    try (Stream<Path> files = Files.list(person)) {
                        files.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().findFirst().ifPresent(images::add);
                    }
                }
            }
        }
        FaceAligner aligner = new FaceAligner();
        try (BlazeFaceDetector detector = new BlazeFaceDetector(
                TestModels.load(TestModels.model(BlazeFaceDetector.Range.FULL.modelFile()), true), BlazeFaceDetector.Range.FULL)) {
            for (Path image : images) {
                Mat bgr = ImageDecoder.read(image);
                try {
                    List<Face> found = detector.detect(bgr);
                    if (!found.isEmpty()) faces.add(aligner.align(bgr, found.get(0)));
                } finally {
                    bgr.release();
                }
            }
        }
        assertTrue(faces.size() >= 10, "only " + faces.size() + " of " + images.size() + " sample photos had a face");
    }

    @AfterAll
    static void release() {
        faces.forEach(Mat::release);
        faces.clear();
    }

    @Test
    void float16WeightsHalveTheFileAndKeepTheEmbeddings() {
        byte[] original = TestModels.unfusedBatchOne();
        byte[] half = Float16Weights.convert(original);
        assertTrue(half.length < original.length * 0.52, original.length + " -> " + half.length);
        FlatModel flat = new FlatModel(ByteBuffer.wrap(half));
        long dequantize = flat.operators().stream().filter(op -> op.builtinCode() == FlatModel.OP_DEQUANTIZE).count();
        long halfTensors = flat.tensors().stream().filter(t -> t.type() == FlatModel.TYPE_FLOAT16).count();
        assertEquals(Float16Weights.weightTensors(new FlatModel(ByteBuffer.wrap(original))).size(), halfTensors);
        assertEquals(halfTensors, dequantize);
        double[] cos = similarities(original, half, "mobilefacenet-b1 fp16");
        assertTrue(cos[0] > 0.99, "lowest cosine " + cos[0]);
    }

    @Test
    void int8WeightsShrinkTheFileAndStayClose() {
        byte[] original = TestModels.unfusedBatchOne();
        for (WeightVariant variant : List.of(WeightVariant.INT8_DYNAMIC, WeightVariant.INT8_DYNAMIC_NO_DEPTHWISE)) {
            byte[] int8 = variant.apply(original);
            assertTrue(int8.length < original.length * 0.33, variant + ": " + original.length + " -> " + int8.length);
            double[] cos = similarities(original, int8, "mobilefacenet-b1 " + variant.id());
            assertTrue(cos[0] > 0.95, variant + " lowest cosine " + cos[0]);
        }
    }

    @Test
    void aFullyConnectedHeadIsQuantisedToo() {
        Random random = new Random(11);
        float[] weights = new float[128 * 192];
        float[] bias = new float[128];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextGaussian() * 0.1f;
        for (int i = 0; i < bias.length; i++) bias[i] = (float) random.nextGaussian() * 0.01f;
        byte[] head = HeadAppender.append(TestModels.unfusedBatchOne(), weights, bias, "embedding128");
        // the variant without depthwise int8 runs fully on XNNPACK, which keeps this test quick
        byte[] int8 = WeightVariant.INT8_DYNAMIC_NO_DEPTHWISE.apply(head);
        FlatModel flat = new FlatModel(ByteBuffer.wrap(int8));
        FlatModel.Tensor headWeights = flat.tensors().stream().filter(t -> t.name().equals("embedding128/weights")).findFirst().orElseThrow();
        assertEquals(FlatModel.TYPE_INT8, headWeights.type());
        assertEquals(128, flat.quantization(headWeights.index()).channels());
        double[] int8Cos = similarities(head, int8, "random 128-d head int8-dyn-nodw");
        assertTrue(int8Cos[0] > 0.95, "lowest cosine " + int8Cos[0]);
        double[] halfCos = similarities(head, Float16Weights.convert(head), "random 128-d head fp16");
        assertTrue(halfCos[0] > 0.99, "lowest cosine " + halfCos[0]);
    }

    /** {lowest, mean} cosine similarity between the two models' embeddings of the sample faces. */
    private double[] similarities(byte[] reference, byte[] variant, String label) {
        Path a = TestModels.write(dir, "reference.tflite", reference);
        Path b = TestModels.write(dir, "variant.tflite", variant);
        double lowest = 1;
        double sum = 0;
        try (FaceEncoder expected = new FaceEncoder(TestModels.load(a, true), "reference", false);
             FaceEncoder actual = new FaceEncoder(TestModels.load(b, true), "variant", false)) {
            assertEquals(expected.dimension(), actual.dimension());
            for (Mat face : faces) {
                double c = TestModels.cosine(expected.encode(face).toArray(), actual.encode(face).toArray());
                lowest = Math.min(lowest, c);
                sum += c;
            }
        }
        System.out.printf(Locale.ROOT, "%s: cosine to float32 on %d real faces: lowest %.6f, mean %.6f%n", label,
                faces.size(), lowest, sum / faces.size());
        return new double[]{lowest, sum / faces.size()};
    }
}
