package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.taulab.dsl.tensor.Fixtures.t;
import static org.taulab.dsl.tensor.Fixtures.values;
import static org.taulab.dsl.tensor.Fixtures.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;

/**
 * TIES computed from trimmed (index, value) pairs chunk by chunk equals the dense array formulation (trim every
 * τ_t in full, elect, disjoint mean: the one DARE-TIES uses) entry for entry, on a tensor larger than a chunk and
 * on small-integer task vectors, where sums cancel to zero and the majority sign decides.
 */
class TiesStreamingTest {
    private static final long[] BIG = {1031, 4099};   // 4.2 M entries: two chunks, the second partial
    private static final long[] SMALL = {7, 5};

    @Test
    void perTensorEqualsTheDenseFormulation() {
        Random rnd = new Random(11);
        Weights pre = model("pre", rnd, 0);
        List<Weights> fts = List.of(model("ft1", rnd, 1), model("ft2", rnd, 2), model("ft3", rnd, 3));
        for (double topk : new double[] {0.2, 0.5, 1.0}) {
            Weights merged = new TiesMerge().topK(topk).lambda(0.7).scope(TiesMerge.Scope.TENSOR).merge(new MergeInputs(pre, fts));
            for (String name : List.of("big", "small")) {
                float[] want = dense(pre, fts, name, topk, 0.7, null);
                assertArrayEquals(want, values(merged, name), 0f, name + " at topk " + topk);
            }
        }
    }

    @Test
    void globalScopeUsesOneThresholdAndOneMajorityAcrossTensors() {
        Random rnd = new Random(12);
        Weights pre = model("pre", rnd, 0);
        List<Weights> fts = List.of(model("ft1", rnd, 1), model("ft2", rnd, 2));
        Weights merged = new TiesMerge().topK(0.3).lambda(1.0).merge(new MergeInputs(pre, fts));
        float[][] thr = globalThresholds(pre, fts, 0.3);
        float majority = globalMajority(pre, fts, thr);
        for (String name : List.of("big", "small")) {
            assertArrayEquals(dense(pre, fts, name, 0.3, 1.0, new float[][] {thr[0], thr[1], {majority}}), values(merged, name), 0f, name);
        }
    }

    @Test
    void anEntryWhoseTrimmedValuesCancelTakesTheMajoritySign() {
        // τ = (+2, −2, +1) and (−2, +2, +1) at topk 1: entries 0 and 1 sum to 0, the tensor's elected signs sum to +1
        Weights pre = weights("pre", "w", t(new long[] {3}, 0, 0, 0));
        Weights a = weights("a", "w", t(new long[] {3}, 2, -2, 1));
        Weights b = weights("b", "w", t(new long[] {3}, -2, 2, 1));
        Weights merged = new TiesMerge().topK(1.0).lambda(1.0).scope(TiesMerge.Scope.TENSOR).merge(new MergeInputs(pre, List.of(a, b)));
        assertArrayEquals(new float[] {2, 2, 1}, values(merged, "w"), 0f);
    }

    @Test
    void aNaNInAnInputIsNamedNotTrimmedAway() {
        Weights pre = weights("pre", "w", t(new long[] {4}, 0, 0, 0, 0));
        Weights good = weights("good.safetensors", "w", t(new long[] {4}, 1, 2, 3, 4));
        Weights bad = weights("bad.safetensors", "w", t(new long[] {4}, 1, Float.NaN, 3, 4));
        for (TiesMerge.Scope scope : TiesMerge.Scope.values()) {
            Weights merged = new TiesMerge().topK(0.25).scope(scope).merge(new MergeInputs(pre, List.of(good, bad)));
            org.taulab.dsl.TauLabException e = org.junit.jupiter.api.Assertions.assertThrows(org.taulab.dsl.TauLabException.class, () -> values(merged, "w"));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("NaN"), e.getMessage());
        }
    }

    /** Small integers (many exact cancellations) in "small", Gaussian values in "big". */
    private static Weights model(String label, Random rnd, int salt) {
        float[] big = new float[(int) (BIG[0] * BIG[1])];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) rnd.nextGaussian();
        }
        float[] small = new float[(int) (SMALL[0] * SMALL[1])];
        for (int i = 0; i < small.length; i++) {
            small[i] = salt == 0 ? 0 : rnd.nextInt(5) - 2;
        }
        return weights(label, "big", t(BIG, big), "small", t(SMALL, small));
    }

    /** The dense formulation; {@code given} = per-task thresholds and the majority sign (global scope), or null. */
    private static float[] dense(Weights pre, List<Weights> fts, String name, double topk, double lambda, float[][] given) {
        try (NDManager m = Tensors.scope()) {
            NDArray base = pre.compute(name, m);
            List<NDArray> trimmed = new ArrayList<>();
            for (int t = 0; t < fts.size(); t++) {
                NDArray tau = fts.get(t).compute(name, m).sub(base);
                float thr = given != null ? given[t][0] : threshold(tau.toFloatArray(), topk);
                trimmed.add(tau.mul(tau.abs().gte(thr).toType(DataType.FLOAT32, false)));
            }
            float majority = given != null ? given[fts.size()][0] : TiesMerge.signOfSum(TiesMerge.electedSigns(trimmed));
            return TiesMerge.disjointMean(trimmed, majority).muli((float) lambda).addi(base).toFloatArray();
        }
    }

    /** The k-th largest magnitude by sorting (k = ceil(topk · n)). */
    private static float threshold(float[] v, double topk) {
        float[] mag = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            mag[i] = Math.abs(v[i]);
        }
        java.util.Arrays.sort(mag);
        int keep = (int) Math.ceil(topk * v.length - 1e-9);
        return keep == 0 ? Float.POSITIVE_INFINITY : mag[v.length - keep];
    }

    private static float[][] globalThresholds(Weights pre, List<Weights> fts, double topk) {
        float[][] thr = new float[fts.size()][];
        for (int t = 0; t < fts.size(); t++) {
            float[] big = values(fts.get(t), "big");
            float[] small = values(fts.get(t), "small");
            float[] preBig = values(pre, "big");
            float[] preSmall = values(pre, "small");
            float[] v = new float[big.length + small.length];
            for (int i = 0; i < big.length; i++) {
                v[i] = big[i] - preBig[i];
            }
            for (int i = 0; i < small.length; i++) {
                v[big.length + i] = small[i] - preSmall[i];
            }
            thr[t] = new float[] {threshold(v, topk)};
        }
        return thr;
    }

    private static float globalMajority(Weights pre, List<Weights> fts, float[][] thr) {
        long total = 0;
        for (String name : List.of("big", "small")) {
            float[] p = values(pre, name);
            float[] sum = new float[p.length];
            for (int t = 0; t < fts.size(); t++) {
                float[] f = values(fts.get(t), name);
                for (int i = 0; i < p.length; i++) {
                    float tau = f[i] - p[i];
                    sum[i] += Math.abs(tau) >= thr[t][0] ? tau : 0;
                }
            }
            for (float s : sum) {
                total += (long) Math.signum(s);
            }
        }
        return total < 0 ? -1f : 1f;
    }
}
