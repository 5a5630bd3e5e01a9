package org.taulab.dsl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.taulab.dsl.data.ImageSet;

/** Mini-batches of an image set as model inputs: {@code [B, 1, H, W]} scaled to [−1, 1], labels as int64. */
public final class Batches {
    private Batches() {
    }

    public static NDArray images(NDManager m, ImageSet set, int[] indices, int from, int to) {
        int p = set.pixelsPerImage();
        float[] px = new float[(to - from) * p];
        for (int i = from; i < to; i++) {
            int src = indices == null ? i : indices[i];
            for (int k = 0; k < p; k++) {
                px[(i - from) * p + k] = set.pixels()[src * p + k] * 2f - 1f;
            }
        }
        return m.create(px, new Shape(to - from, 1, set.height(), set.width()));
    }

    public static NDArray labels(NDManager m, ImageSet set, int[] indices, int from, int to) {
        long[] lb = new long[to - from];
        for (int i = from; i < to; i++) {
            lb[i - from] = set.labels()[indices == null ? i : indices[i]];
        }
        return m.create(lb).toType(DataType.INT64, false);
    }
}
