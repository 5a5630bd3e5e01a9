package org.taulab.dsl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.tensor.Tensors;

class TrainingMathTest {
    @Test
    void crossEntropyAndEntropyByHand() {
        try (NDManager m = Tensors.scope()) {
            NDArray logits = m.create(new float[][] {{0, 0}, {Math.round(Math.log(3) * 1e6) / 1e6f, 0}});
            NDArray labels = m.create(new long[] {0, 1});
            // row 1: p = (1/2, 1/2) → −log 1/2; row 2: p = (3/4, 1/4), label 1 → −log 1/4
            assertEquals((Math.log(2) + Math.log(4)) / 2, Losses.crossEntropy(logits, labels).getFloat(), 1e-5);
            double h2 = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
            assertEquals((Math.log(2) + h2) / 2, Losses.entropy(logits).getFloat(), 1e-5);
        }
    }

    @Test
    void adamWFirstStepsByHand() {
        try (NDManager m = Tensors.scope(); AdamW opt = new AdamW(m, 0.1, 0.9, 0.999, 1e-8, 0.5)) {
            NDArray w = m.create(new float[] {1, -2});
            w.setRequiresGradient(true);
            for (int step = 0; step < 2; step++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(w.mul(w).sum().mul(0.5)); // gradient = w
                }
                opt.step(List.of(w));
            }
            // by hand: step 1: m̂ = g, v̂ = g² → update lr·sign(g) (to 1e-8); decay first: w·(1 − lr·wd)
            double w0 = 1;
            double m1 = 0;
            double v1 = 0;
            for (int t = 1; t <= 2; t++) {
                double g = w0;
                m1 = 0.9 * m1 + 0.1 * g;
                v1 = 0.999 * v1 + 0.001 * g * g;
                double update = 0.1 * (m1 / (1 - Math.pow(0.9, t))) / (Math.sqrt(v1 / (1 - Math.pow(0.999, t))) + 1e-8);
                w0 = w0 * (1 - 0.1 * 0.5) - update;
            }
            assertEquals(w0, w.toFloatArray()[0], 1e-5);
            assertArrayEquals(new float[] {0, 0}, w.getGradient().toFloatArray(), 0f, "gradients are zeroed after a step");
        }
    }
}
