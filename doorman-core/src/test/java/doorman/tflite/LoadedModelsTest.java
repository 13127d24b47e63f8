package doorman.tflite;

import doorman.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class LoadedModelsTest {

    @Test
    void interpretersOnOneFileShareItsModelWhichIsFreedWithTheLast() {
        Path file = TestData.model("face_detection_short_range.tflite");
        assertEquals(0, LoadedModels.users(file));
        TfliteModel first = Backend.JAVACPP.load(file, TfliteOptions.defaults());
        TfliteModel second = Backend.JAVACPP.load(file, TfliteOptions.defaults());
        assertEquals(2, LoadedModels.users(file));
        float[] input = new float[128 * 128 * 3];
        assertArrayEquals(first.run(input)[1], second.run(input)[1], "two interpreters, one model, same answers");
        first.close();
        assertEquals(1, LoadedModels.users(file));
        assertEquals(second.outputShapes().length, second.run(input).length, "the other interpreter still runs");
        second.close();
        assertEquals(0, LoadedModels.users(file));
        first.close(); // closing twice does not release twice
        assertEquals(0, LoadedModels.users(file));
    }
}
