package org.taulab.dsl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.taulab.dsl.data.ImageSet;

/**
 * Mini-batches of an image set as model inputs {@code [B, C, H, W]}: grayscale scaled to [−1, 1]; RGB
 * (the CLIP setting) normalized with CLIP's per-channel mean and standard deviation. Labels as int64.
 */
public final class Batches {
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private Batches() {
    }

    public static NDArray images(NDManager m, ImageSet set, int[] indices, int from, int to) {
        int p = set.pixelsPerImage();
        int plane = set.height() * set.width();
        float[] px = new float[(to - from) * p];
        for (int i = from; i < to; i++) {
            int src = indices == null ? i : indices[i];
            for (int k = 0; k < p; k++) {
                int c = k / plane;
                float v = set.pixels()[src * p + k];
                px[(i - from) * p + k] = set.channels() == 3 ? (v - CLIP_MEAN[c]) / CLIP_STD[c] : v * 2f - 1f;
            }
        }
        return m.create(px, new Shape(to - from, set.channels(), set.height(), set.width()));
    }

    public static NDArray labels(NDManager m, ImageSet set, int[] indices, int from, int to) {
        long[] lb = new long[to - from];
        for (int i = from; i < to; i++) {
            lb[i - from] = set.labels()[indices == null ? i : indices[i]];
        }
        return m.create(lb).toType(DataType.INT64, false);
    }
}
