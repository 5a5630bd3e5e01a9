package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.tensor.Fixtures.random;
import static org.taulab.dsl.tensor.Fixtures.values;
import static org.taulab.dsl.tensor.Fixtures.vec;
import static org.taulab.dsl.tensor.Fixtures.weights;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;

/** MagMax, Model Stock, SLERP, DARE and DARE-TIES: hand-computed cases and the identities each must satisfy. */
class NewerMergesTest {
    private static final float EPS = 1e-5f;

    private static MergeInputs inputs(Weights pre, Weights... fts) {
        return new MergeInputs(pre, List.of(fts));
    }

    @Test
    void magmaxTakesTheLargestMagnitudePerEntry() {
        Weights pre = weights("pre", "w", vec(1, 1, 1));
        Weights a = weights("a", "w", vec(4, -4, 1));   // τ = 3, -5, 0
        Weights b = weights("b", "w", vec(-3, 2, 1.5f)); // τ = -4, 1, 0.5
        Weights m = MagMaxMerge.METHOD.create(Map.of("lambda", 0.5)).merge(inputs(pre, a, b));
        assertArrayEquals(new float[] {1 - 2, 1 - 2.5f, 1 + 0.25f}, values(m, "w"), EPS);
    }

    @Test
    void modelStockInterpolatesByTheCosineAndReturnsIdenticalFineTunes() {
        Weights pre = weights("pre", "w", vec(0, 0), "b", vec(1, 1));
        // τ_a = (1, 0), τ_b = (1, 1)/√2·√2 = (1, 1): cos 1/√2, T = 2 → t = 2c / (1 + c)
        Weights a = weights("a", "w", vec(1, 0), "b", vec(1, 1));
        Weights b = weights("b", "w", vec(1, 1), "b", vec(1, 1));
        Weights m = new ModelStockMerge().merge(inputs(pre, a, b));
        double c = 1 / Math.sqrt(2);
        double t = 2 * c / (1 + c);
        assertArrayEquals(new float[] {(float) t, (float) (t * 0.5)}, values(m, "w"), EPS);
        assertArrayEquals(new float[] {1, 1}, values(m, "b"), EPS, "τ = 0 on b: cosine 0, t = 0, θ_pre");
        Weights same = new ModelStockMerge().merge(inputs(pre, a, a, a));
        assertArrayEquals(values(a, "w"), values(same, "w"), EPS);
        Weights opposite = new ModelStockMerge().merge(inputs(pre, a, weights("c", "w", vec(-1, 0), "b", vec(1, 1))));
        assertArrayEquals(new float[] {0, 0}, values(opposite, "w"), EPS, "negative mean cosine counts as 0: θ_pre");
    }

    @Test
    void slerpReturnsItsEndsAndFollowsTheArc() {
        Weights a = weights("a", "w", vec(1, 0), "v", vec(2, 2));
        Weights b = weights("b", "w", vec(0, 1), "v", vec(4, 4));
        MergeInputs in = new MergeInputs(null, List.of(a, b));
        assertArrayEquals(values(a, "w"), values(new SlerpMerge(0).merge(in), "w"), EPS);
        assertArrayEquals(values(b, "w"), values(new SlerpMerge(1).merge(in), "w"), EPS);
        Weights mid = new SlerpMerge(0.5).merge(in);
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {h, h}, values(mid, "w"), EPS, "orthogonal unit vectors: the arc's midpoint stays unit length");
        assertArrayEquals(new float[] {3, 3}, values(mid, "v"), EPS, "colinear tensors are interpolated linearly");
        Weights third = new SlerpMerge(1.0 / 3).merge(in);
        assertArrayEquals(new float[] {(float) Math.cos(Math.PI / 6), (float) Math.sin(Math.PI / 6)}, values(third, "w"), EPS);
        TauLabException e = assertThrows(TauLabException.class, () -> new SlerpMerge(0.5).merge(new MergeInputs(null, List.of(a, b, a))));
        assertTrue(e.getMessage().contains("exactly two"), e.getMessage());
        assertThrows(BadParameter.class, () -> SlerpMerge.METHOD.create(Map.of("t", 1.5)));
    }

    @Test
    void dareWithoutDropsIsTaskArithmeticAndDareTiesIsTiesKeepingEverything() {
        Random rnd = new Random(3);
        Weights pre = weights("pre", "w", random(rnd, 1, 6, 5));
        Weights a = weights("a", "w", random(rnd, 1, 6, 5));
        Weights b = weights("b", "w", random(rnd, 1, 6, 5));
        MergeInputs in = inputs(pre, a, b);
        Weights dare = DareMerge.METHOD.create(Map.of("drop", 0.0, "lambda", 0.4)).merge(in);
        assertArrayEquals(values(new TaskArithmeticMerge().lambda(0.4).merge(in), "w"), values(dare, "w"), EPS);
        Weights dareTies = DareMerge.TIES.create(Map.of("drop", 0.0, "lambda", 0.7)).merge(in);
        assertArrayEquals(values(new TiesMerge().topK(1.0).lambda(0.7).merge(in), "w"), values(dareTies, "w"), EPS);
    }

    @Test
    void dareKeepsAboutOneMinusPOfTheEntriesRescaledAndIsSeeded() {
        int n = 20000;
        float[] zeros = new float[n];
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        Weights pre = weights("pre", "w", vec(zeros));
        Weights ft = weights("ft", "w", vec(ones));
        MergeInputs in = inputs(pre, ft);
        float[] x = values(DareMerge.METHOD.create(Map.of("drop", 0.75, "lambda", 1.0, "seed", 5)).merge(in), "w");
        int kept = 0;
        double sum = 0;
        for (float v : x) {
            assertTrue(v == 0f || Math.abs(v - 4f) < 1e-6, "every kept entry is rescaled by 1/(1 − p) = 4: " + v);
            kept += v != 0 ? 1 : 0;
            sum += v;
        }
        assertEquals(0.25, kept / (double) n, 0.015, "kept fraction");
        assertEquals(1.0, sum / n, 0.06, "the expected value of τ is kept");
        float[] again = values(DareMerge.METHOD.create(Map.of("drop", 0.75, "lambda", 1.0, "seed", 5)).merge(in), "w");
        assertArrayEquals(x, again, 0f, "the same seed drops the same entries");
        float[] other = values(DareMerge.METHOD.create(Map.of("drop", 0.75, "lambda", 1.0, "seed", 6)).merge(in), "w");
        assertNotEquals(java.util.Arrays.toString(x), java.util.Arrays.toString(other));
        BadParameter e = assertThrows(BadParameter.class, () -> DareMerge.METHOD.create(Map.of("drop", 1.0)));
        assertTrue(e.getMessage().contains("drop"), e.getMessage());
        assertThrows(BadParameter.class, () -> DareMerge.TIES.create(Map.of("drop", -0.1)));
    }

    @Test
    void isoCFlattensTheSpectrumOfTheSum() {
        Weights pre = weights("pre", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(2, 2, 0, 0, 0, 0), "b", vec(1, 1));
        // Σ τ = diag(3, −1): U Vᵀ = diag(1, −1), σ̄ = 2, so Δ = diag(2, −2); the bias takes the mean τ
        Weights a = weights("a", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(2, 2, 2, 0, 0, -2), "b", vec(3, 1));
        Weights b = weights("b", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(2, 2, 1, 0, 0, 1), "b", vec(1, 1));
        Weights iso = IsoCMerge.METHOD.create(Map.of("lambda", 0.5)).merge(inputs(pre, a, b));
        assertArrayEquals(new float[] {1, 0, 0, -1}, values(iso, "attn.w"), EPS);
        assertArrayEquals(new float[] {1 + 0.5f, 1}, values(iso, "b"), EPS);
        // on a random full-rank sum every singular value of Δ is σ̄: Δ Δᵀ = σ̄² I
        Random rnd = new Random(9);
        float[] x = random(rnd, 1, 3, 3).values();
        float[] d = IsoCMerge.isotropic(x, 3, 3, "x");
        double trace = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int k = 0; k < 3; k++) {
                    dot += (double) d[i * 3 + k] * d[j * 3 + k];
                }
                if (i == j) {
                    trace += dot;
                } else {
                    assertEquals(0, dot, 1e-4, "Δ Δᵀ is diagonal");
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            double dot = 0;
            for (int k = 0; k < 3; k++) {
                dot += (double) d[i * 3 + k] * d[i * 3 + k];
            }
            assertEquals(trace / 3, dot, 1e-4, "and its diagonal is constant");
        }
    }

    @Test
    void breadcrumbsDropsTheOutliersAndKeepsTheNextDensity() {
        float[] x = {10, -9, 8, -7, 6, 5, -4, 3, 2, 1};
        // β = 0.1 drops the largest (10); d = 0.3 keeps the next three (−9, 8, −7)
        assertArrayEquals(new float[] {0, -9, 8, -7, 0, 0, 0, 0, 0, 0}, BreadcrumbsMerge.crumbs(x, 0.3, 0.1), 0f);
        assertArrayEquals(new float[] {10, -9, 0, 0, 0, 0, 0, 0, 0, 0}, BreadcrumbsMerge.crumbs(x, 0.2, 0), 0f);
        Weights pre = weights("pre", "w", vec(new float[10]));
        Weights ft = weights("ft", "w", vec(x));
        Weights m = BreadcrumbsMerge.METHOD.create(Map.of("density", 0.3, "beta", 0.1, "lambda", 0.5)).merge(inputs(pre, ft));
        assertArrayEquals(new float[] {0, -4.5f, 4, -3.5f, 0, 0, 0, 0, 0, 0}, values(m, "w"), EPS);
        assertThrows(BadParameter.class, () -> BreadcrumbsMerge.METHOD.create(Map.of("density", 0.0)));
        assertThrows(BadParameter.class, () -> BreadcrumbsMerge.METHOD.create(Map.of("beta", 1.0)));
    }

    @Test
    void breadcrumbsAgreesWithARankByRankSelectionOnTiedData() {
        Random rnd = new Random(17);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(40);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (rnd.nextInt(7) - 3) * (rnd.nextBoolean() ? 1f : 0.5f);  // many equal magnitudes
            }
            double d = 0.01 + 0.99 * rnd.nextDouble();
            double b = rnd.nextDouble() * 0.5;
            assertArrayEquals(byRank(x, d, b), BreadcrumbsMerge.crumbs(x, d, b), 0f, java.util.Arrays.toString(x) + " d=" + d + " b=" + b);
        }
    }

    /** The definition, entry by entry: rank by magnitude (ties in tensor order), keep ranks top … top + keep − 1. */
    private static float[] byRank(float[] x, double density, double beta) {
        int n = x.length;
        int top = (int) Math.floor(beta * n + 1e-9);
        int keep = Math.min(n - top, (int) Math.ceil(density * n - 1e-9));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Float.compare(Math.abs(x[j]), Math.abs(x[i])));
        float[] out = new float[n];
        for (int r = top; r < top + keep; r++) {
            out[order[r]] = x[order[r]];
        }
        return out;
    }
}
