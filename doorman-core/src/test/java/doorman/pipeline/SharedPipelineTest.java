package doorman.pipeline;

import doorman.TestData;
import doorman.models.ModelFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The daemon's two pipelines (loop and API) share loaded models and answer exactly as a pipeline of its own. */
class SharedPipelineTest {

    @Test
    void pipelinesOverSharedModelsEmbedLikeAnOwnPipeline() {
        Path photo = TestData.images(TestData.dataset("samples/johns/John_Savage")).get(0);
        ModelFiles models = ModelFiles.locate();
        TestData.model("encoder-128.tflite");
        FacePipeline.Options options = FacePipeline.Options.defaults();
        try (FacePipeline own = FacePipeline.open(models, options);
             FacePipeline.Shared shared = FacePipeline.Shared.load(models, options)) {
            float[] expected = own.largest(photo).embedding().values();
            try (FacePipeline loop = shared.open(1); FacePipeline api = shared.open(1)) {
                assertArrayEquals(expected, loop.largest(photo).embedding().values(), 1e-6f);
                assertArrayEquals(expected, api.largest(photo).embedding().values(), 1e-6f);
                assertEquals(own.encoderName(), api.encoderName());
            }
        }
    }
}
