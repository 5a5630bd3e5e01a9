package org.taulab.dsl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.learn.CoefficientModel;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.zoo.Zoo;

/**
 * Optimizer steps and coefficient resets work on a thread whose autograd is on, as a notebook's cell threads are
 * (PyTorch's grad mode is per thread and on by default); there an in-place write to a leaf that records gradients
 * is refused, so parameters are updated through detached aliases of their storage.
 */
class AutogradThreadTest {
    @Test
    void adamwStepsAndCoefficientResetsWorkWithGradModeOn() throws Exception {
        Tensors.root();
        Zoo zoo = Zoo.open("mini8");
        var pre = zoo.pretrained();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                JniUtils.setGradMode(true);
                assertTrue(JniUtils.isGradMode());
                try (NDManager m = Tensors.scope(); AdamW opt = new AdamW(m, 0.1, 0.5)) {
                    NDArray p = m.create(new float[] {1, 2});
                    p.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(p.mul(p).sum());
                    }
                    JniUtils.setGradMode(true);
                    opt.step(List.of(p));
                    // decoupled decay first, p·(1 − 0.1·0.5) = (0.95, 1.9); Adam's first step then moves each entry by lr
                    assertArrayEquals(new float[] {0.85f, 1.8f}, p.toFloatArray(), 1e-5f);
                }
                try (CoefficientModel model = new CoefficientModel(pre, List.of(zoo.finetuned("digits").minus(pre)), false, 0.1)) {
                    JniUtils.setGradMode(true);
                    model.setCoefficients(new float[] {0.25f});
                    assertArrayEquals(new float[] {0.25f}, model.coefficientValues(), 0f);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        cell.start();
        cell.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
