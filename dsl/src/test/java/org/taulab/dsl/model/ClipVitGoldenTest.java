package org.taulab.dsl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;

/** ClipVit against golden outputs of an independent PyTorch implementation (make_vit_golden.py). */
class ClipVitGoldenTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ClipVitGoldenTest.class.getResource("/golden/" + name).toURI());
    }

    @Test
    void logitsMatchPyTorchTo1e4() throws Exception {
        Weights model = Weights.load(fixture("vit-tiny.safetensors"));
        Weights io = Weights.load(fixture("vit-tiny-io.safetensors"));
        VitConfig config = VitConfig.of(model);
        assertEquals(new VitConfig(32, 2, 4, 3, 2, 4, 16, "quick_gelu"), config, "configuration inferred from shapes");
        try (NDManager m = Tensors.scope()) {
            ClipVit vit = new ClipVit(config);
            NDArray features = vit.features(name -> model.compute(name, m), io.compute("images", m));
            NDArray logits = ClassifierHead.logits(features, io.compute("head.weight", m), io.compute("head.bias", m));
            assertClose(io.compute("features", m).toFloatArray(), features.toFloatArray(), 1e-4);
            assertClose(io.compute("logits", m).toFloatArray(), logits.toFloatArray(), 1e-4);
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }
}
