package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;

/**
 * CART's plain-Java path over float32 files against the engine path of the same merge, bit for bit: with three
 * models (a division by 3 that a reciprocal would round differently) and two, truncated and exact decompositions,
 * an untouched tensor larger than one read, a 1-D tensor and an integer one.
 */
class CartFilesTest {
    private static final String ATTN = "blocks.0.attn.w";
    private static final String MLP = "blocks.0.mlp.w";
    private static final String EMBED = "embed.w";
    private static final String BIAS = "blocks.0.attn.b";
    private static final int[] ATTN_SHAPE = {200, 120};
    private static final int[] MLP_SHAPE = {96, 240};
    private static final int[] EMBED_SHAPE = {1100, 1000};

    @TempDir
    Path dir;

    private Weights file(String name, Random r, Random shared) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put(EMBED, tensor(EMBED, r, EMBED_SHAPE[0], EMBED_SHAPE[1]));
        entries.put(ATTN, lowRankPlusNoise(ATTN, r, shared, ATTN_SHAPE[0], ATTN_SHAPE[1]));
        entries.put(BIAS, tensor(BIAS, r, 120));
        entries.put(MLP, lowRankPlusNoise(MLP, r, shared, MLP_SHAPE[0], MLP_SHAPE[1]));
        entries.put("step", TensorEntry.passThrough("step", DType.I64, new long[] {1},
                () -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 7)));
        Path p = dir.resolve(name);
        new Weights(entries, Map.of(), name).save(p);
        return Weights.load(p);
    }

    private static TensorEntry tensor(String name, Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return passThrough(name, v, shape);
    }

    /** A shared base plus a rank-6 task part plus small noise, so the spectrum at k has structure and a tail. */
    private static TensorEntry lowRankPlusNoise(String name, Random r, Random shared, int m, int n) {
        float[] v = new float[m * n];
        Random base = new Random(name.hashCode());
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) base.nextGaussian();
        }
        for (int c = 0; c < 6; c++) {
            double[] a = new double[m];
            double[] b = new double[n];
            for (int i = 0; i < m; i++) {
                a[i] = r.nextGaussian();
            }
            for (int j = 0; j < n; j++) {
                b[j] = r.nextGaussian();
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    v[i * n + j] += (float) (0.3 / (c + 1) * a[i] * b[j]);
                }
            }
        }
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (0.01 * shared.nextGaussian());
        }
        return passThrough(name, v, m, n);
    }

    private static TensorEntry passThrough(String name, float[] v, int... shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return TensorEntry.passThrough(name, DType.F32, s, () -> b.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }

    private List<Weights> models(int count, long seed) {
        Random r = new Random(seed);
        Random shared = new Random(seed + 100);
        List<Weights> fts = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            fts.add(file("ft" + seed + "-" + t + ".safetensors", r, shared));
        }
        return fts;
    }

    private static float[] raw(Weights merged, String name) {
        ByteBuffer b = merged.entries().get(name).raw().get().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static float[] engine(Weights merged, String name) {
        try (NDManager m = Tensors.scope()) {
            return merged.entries().get(name).source().compute(m).toFloatArray();
        }
    }

    @Test
    void theFilePathIsTheEnginePathBitForBit() {
        for (int count : new int[] {3, 2}) {
            for (String svd : new String[] {"auto", "exact"}) {
                List<Weights> fts = models(count, 10 + count);
                CartMerge cart = (CartMerge) new CartMerge().rank(0.08).with("svd", svd);
                Weights fast = cart.merge(new MergeInputs(null, fts).oneShot());
                Weights slow = cart.merge(new MergeInputs(null, fts));
                for (String name : List.of(EMBED, ATTN, BIAS, MLP)) {
                    assertNotNull(fast.entries().get(name).raw(), name + " has the file path's bytes");
                    assertNull(slow.entries().get(name).raw(), "a merge that keeps its decompositions takes the engine path");
                    float[] expected = engine(slow, name);
                    assertArrayEquals(expected, raw(fast, name), count + " models, svd " + svd + ", " + name);
                }
                double moved = maxDifference(raw(fast, ATTN), average(fts, ATTN));
                if (count == 2) {
                    // ν_1 = −ν_2, so SVD_k(ν_1) + SVD_k(ν_2) = 0: CART of two models is their average
                    assertTrue(moved < 1e-5, "two models: CART is the average, off by " + moved);
                } else {
                    assertTrue(moved > 1e-3, "three models: the low-rank step moved the matrix by " + moved);
                }
                assertArrayEquals(average(fts, EMBED), raw(fast, EMBED), 1e-6f, "an untouched tensor is the average");
                assertEquals(7, fast.entries().get("step").raw().get().order(ByteOrder.LITTLE_ENDIAN).getLong(0));
            }
        }
    }

    @Test
    void aNonFiniteInputIsNamed() {
        List<Weights> fts = models(2, 30);
        Map<String, TensorEntry> entries = new LinkedHashMap<>(fts.get(1).entries());
        float[] bad = average(List.of(fts.get(1)), MLP);
        bad[17] = Float.NaN;
        entries.put(MLP, passThrough(MLP, bad, MLP_SHAPE));
        Path p = dir.resolve("nan.safetensors");
        new Weights(entries, Map.of(), "nan.safetensors").save(p);
        List<Weights> withNaN = List.of(fts.get(0), Weights.load(p));
        Weights fast = new CartMerge().merge(new MergeInputs(null, withNaN).oneShot());
        raw(fast, EMBED);
        raw(fast, ATTN);
        TauLabException e = assertThrows(TauLabException.class, () -> raw(fast, MLP));
        assertTrue(e.getMessage().contains(MLP) && e.getMessage().contains("nan.safetensors"), e.getMessage());
    }

    private static float[] average(List<Weights> fts, String name) {
        float[] sum = null;
        try (NDManager m = Tensors.scope()) {
            for (Weights w : fts) {
                float[] v = w.compute(name, m).toFloatArray();
                if (sum == null) {
                    sum = v;
                } else {
                    for (int i = 0; i < v.length; i++) {
                        sum[i] += v[i];
                    }
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= fts.size();
        }
        return sum;
    }

    private static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
