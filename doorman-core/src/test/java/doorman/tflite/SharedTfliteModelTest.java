package doorman.tflite;

import doorman.TestData;
import doorman.models.ModelFiles;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One model file loaded once, an interpreter per user: same outputs, and closing one interpreter spares the others. */
class SharedTfliteModelTest {

    @Test
    void interpretersOverOneLoadedModel() {
        float[] input = new float[80 * 80 * 3];
        Random random = new Random(5);
        for (int i = 0; i < input.length; i++) input[i] = random.nextInt(256);
        SharedTfliteModel shared = SharedTfliteModel.load(TestData.model(ModelFiles.MINIFASNET_V2));
        try (TfliteModel own = JavacppTflite.load(TestData.model(ModelFiles.MINIFASNET_V2), TfliteOptions.defaults())) {
            float[] expected = own.run(input)[0];
            TfliteModel first = shared.newInterpreter(TfliteOptions.defaults());
            TfliteModel second = shared.newInterpreter(TfliteOptions.defaults());
            assertArrayEquals(expected, first.run(input)[0]);
            first.close();
            assertArrayEquals(expected, second.run(input)[0], "closing one interpreter must not free the shared model");
            second.close();
        } finally {
            shared.close();
        }
        assertThrows(IllegalStateException.class, () -> shared.newInterpreter(TfliteOptions.defaults()));
    }
}
