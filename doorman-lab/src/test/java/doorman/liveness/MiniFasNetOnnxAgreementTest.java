package doorman.liveness;

import doorman.TestData;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.tflite.Backend;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;
import doorman.tflite.onnx.OnnxReference;
import doorman.vision.Face;
import doorman.vision.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's converted MiniFASNet files against ONNX Runtime on the committed ONNX files, on real face crops
 * (live faces and printed-photo and CelebA-Spoof attacks, BlazeFace boxes, the reference crops): logits within 1e-4.
 */
class MiniFasNetOnnxAgreementTest {

    @TempDir
    Path tmp;

    @Test
    void convertedModelsEqualOnnxRuntimeOnRealFaceCrops() throws Exception {
        Path v2 = TestData.model(ModelFiles.MINIFASNET_V2);
        Path v1se = TestData.model(ModelFiles.MINIFASNET_V1SE);
        List<Path> images = new ArrayList<>();
        for (String set : List.of("spoof-dev/nuaa-train/live", "spoof-dev/nuaa-train/spoof",
                "spoof-dev/celeba-spoof-subset/live", "spoof-dev/celeba-spoof-subset/spoof"))
            images.addAll(TestData.images(TestData.dataset(set)).subList(0, 5));
        int compared = 0;
        double worst = 0;
        try (FacePipeline pipeline = FacePipeline.open(ModelFiles.locate(), FacePipeline.Options.defaults());
             TfliteModel tfliteV2 = Backend.JAVACPP.load(v2, TfliteOptions.defaults());
             TfliteModel tfliteV1se = Backend.JAVACPP.load(v1se, TfliteOptions.defaults());
             OnnxReference onnxV2 = new OnnxReference(Files.readAllBytes(Path.of("models/upstream/minifasnet/MiniFASNetV2.onnx")), tmp);
             OnnxReference onnxV1se = new OnnxReference(Files.readAllBytes(Path.of("models/upstream/minifasnet/MiniFASNetV1SE.onnx")), tmp)) {
            for (Path image : images) {
                Mat bgr = ImageDecoder.read(image);
                try {
                    List<Face> faces = pipeline.detect(bgr);
                    if (faces.isEmpty()) continue;
                    for (boolean first : new boolean[] {true, false}) {
                        float[] nhwc = MiniFasNetLiveness.input(bgr, faces.get(0), first ? MiniFasNetLiveness.V2_SCALE : MiniFasNetLiveness.V1SE_SCALE);
                        float[] expected = (first ? onnxV2 : onnxV1se).onnx(nhwcToNchw(nhwc), new long[] {1, 3, 80, 80});
                        float[] got = (first ? tfliteV2 : tfliteV1se).run(nhwc)[0];
                        double diff = OnnxReference.maxAbsDifference(expected, got);
                        worst = Math.max(worst, diff);
                        assertTrue(diff < 1e-4, image + (first ? " V2" : " V1SE") + ": max |ONNX Runtime - TFLite| = " + diff);
                        compared++;
                    }
                } finally {
                    bgr.release();
                }
            }
        }
        System.out.printf("MiniFASNet V2 and V1SE: %d real crops, worst logit difference %.2e%n", compared, worst);
        assertTrue(compared >= 30, "only " + compared + " crops had a face");
    }

    private static float[] nhwcToNchw(float[] nhwc) {
        float[] out = new float[nhwc.length];
        int hw = 80 * 80;
        for (int p = 0; p < hw; p++) for (int c = 0; c < 3; c++) out[c * hw + p] = nhwc[p * 3 + c];
        return out;
    }
}
