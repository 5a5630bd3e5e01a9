package org.taulab.dsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scalar factor's gradient survives a garbage collection between the forward and the backward pass. DJL's
 * {@code mul(Number)} leaves autograd holding a 0-d tensor over a freed Java direct buffer (see {@link Tensors#mul}):
 * with it, this test's gradients come out as NaN or another value of whatever reused the memory.
 */
class ScalarGradientTest {
    @Test
    void scalarFactorsSurviveACollectionBeforeBackward() throws Exception {
        for (int trial = 0; trial < 3; trial++) {
            try (NDManager m = Tensors.scope()) {
                NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(4));
                x.setRequiresGradient(true);
                List<ByteBuffer> reuse = new ArrayList<>();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = Tensors.div(Tensors.mul(x, 2.0), 0.5);
                    System.gc();
                    Thread.sleep(100);
                    for (int i = 0; i < 20000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(i % 2 == 0 ? 4 : 8).order(ByteOrder.nativeOrder());
                        b.putFloat(0, Float.NaN);
                        if (b.capacity() == 8) {
                            b.putFloat(4, Float.NaN);
                        }
                        reuse.add(b);
                    }
                    gc.backward(y.sum());
                }
                assertArrayEquals(new float[] {4, 4, 4, 4}, x.getGradient().toFloatArray(), "trial " + trial);
            }
        }
    }
}
