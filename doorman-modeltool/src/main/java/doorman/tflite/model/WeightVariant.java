package doorman.tflite.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The ways we can store an encoder, each a transformation of the float32 file: weight formats, optionally after
 * fusing spelled-out PReLUs (which changes no output, only the number of passes over the activations).
 */
public enum WeightVariant {
    FLOAT32("fp32", "float32 weights, the model as given", byte[]::clone),
    FLOAT16("fp16", "float16 weights, DEQUANTIZE to float32 (XNNPACK folds them at load)", Float16Weights::convert),
    INT8_DYNAMIC("int8-dyn", "int8 per-channel weights in conv, depthwise and fully-connected layers (hybrid kernels)",
            Int8DynamicWeights::convert),
    INT8_DYNAMIC_NO_DEPTHWISE("int8-dyn-nodw", "int8-dyn with depthwise weights left float32 (XNNPACK has no hybrid depthwise)",
            m -> Int8DynamicWeights.convert(m, Set.of(FlatModel.OP_CONV_2D, FlatModel.OP_FULLY_CONNECTED))),
    FLOAT32_PRELU("fp32-prelu", "float32 with each spelled-out PReLU fused into one PRELU op", PreluFusion::fuse),
    FLOAT16_PRELU("fp16-prelu", "fp16 after fusing the PReLUs", m -> Float16Weights.convert(PreluFusion.fuse(m)));

    private final String id;
    private final String description;
    private final UnaryOperator<byte[]> conversion;

    WeightVariant(String id, String description, UnaryOperator<byte[]> conversion) {
        this.id = id;
        this.description = description;
        this.conversion = conversion;
    }

    /** Short name, used in file names ({@code encoder-128-fp16.tflite}) and tables. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The converted model file; the input is not changed. Throws IllegalArgumentException when it does not apply. */
    public byte[] apply(byte[] float32Model) {
        return conversion.apply(float32Model);
    }

    public static WeightVariant parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + text + "' (use "
                        + String.join(", ", Arrays.stream(values()).map(WeightVariant::id).toList()) + ")"));
    }
}
