package org.taulab.dsl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.train.Batches;

/** Batched, gradient-free predictions of an encoder + head on an image set. */
public final class Classifier {
    public static final int BATCH = 128;

    private Classifier() {
    }

    /** Fraction of {@code set} classified correctly. */
    public static double accuracy(ClipVit vit, Function<String, NDArray> encoder, NDArray headWeight, NDArray headBias, ImageSet set) {
        long correct = 0;
        for (int from = 0; from < set.count(); from += BATCH) {
            int to = Math.min(set.count(), from + BATCH);
            try (NDManager m = Tensors.scope()) {
                NDArray images = Batches.images(m, set, null, from, to);
                Function<String, NDArray> head = ScopedParams.in(m, n -> n.equals("weight") ? headWeight : headBias);
                NDArray logits = ClassifierHead.logits(vit.features(ScopedParams.in(m, encoder), images), head.apply("weight"),
                        headBias == null ? null : head.apply("bias"));
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = from; i < to; i++) {
                    if (predicted[i - from] == set.labels()[i]) {
                        correct++;
                    }
                }
            }
        }
        return set.count() == 0 ? Double.NaN : correct / (double) set.count();
    }

    /** Image embeddings of a whole set, as a row-major float array {@code [count, embed]}. */
    public static float[] features(ClipVit vit, Function<String, NDArray> encoder, ImageSet set, NDManager parent) {
        float[] out = new float[set.count() * vit.config().embed()];
        for (int from = 0; from < set.count(); from += BATCH) {
            int to = Math.min(set.count(), from + BATCH);
            try (NDManager m = parent.newSubManager()) {
                float[] f = vit.features(ScopedParams.in(m, encoder), Batches.images(m, set, null, from, to)).toFloatArray();
                System.arraycopy(f, 0, out, from * vit.config().embed(), f.length);
            }
        }
        return out;
    }
}
