package doorman.liveness;

import doorman.TestData;
import doorman.models.ModelFiles;
import doorman.tflite.model.FlatModel;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The converted MiniFASNet graphs run entirely inside XNNPACK: after the default delegate is applied, the execution
 * plan is one delegate node standing for every operator of the file.
 */
class MiniFasNetXnnpackTest {

    @Test
    void everyOperatorRunsInOneXnnpackPartition() throws Exception {
        for (String name : new String[] {ModelFiles.MINIFASNET_V2, ModelFiles.MINIFASNET_V1SE}) {
            Path file = TestData.model(name);
            int operators = new FlatModel(ByteBuffer.wrap(Files.readAllBytes(file))).operators().size();
            try (FlatBufferModel model = FlatBufferModel.BuildFromFile(file.toString());
                 BuiltinOpResolver resolver = new BuiltinOpResolver();
                 Interpreter interpreter = new Interpreter((Pointer) null);
                 InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
                builder.SetNumThreads(1);
                assertEquals(kTfLiteOk, builder.apply(interpreter));
                assertEquals(kTfLiteOk, interpreter.AllocateTensors());
                IntPointer plan = interpreter.execution_plan();
                System.out.printf("%s: %d operators, %d nodes after delegation, plan limit %d%n", name, operators,
                        interpreter.nodes_size(), plan.limit());
                // the delegate adds one node per partition; the replaced operators stay listed but out of the plan
                assertEquals(operators + 1, interpreter.nodes_size(), name + ": expected exactly one XNNPACK partition");
                assertEquals(1, plan.limit(), name + ": the plan should hold only the delegate node");
            }
        }
    }
}
