package org.taulab.dsl.train;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs work with PyTorch's autograd off on the current thread (it is per thread, and on by default in threads
 * the engine did not start, such as a notebook's), so evaluation through tensors that record gradients builds
 * no graph. The previous mode is restored afterwards.
 */
public final class NoGrad {
    private NoGrad() {
    }

    public static <T> T run(Supplier<T> work) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }
}
