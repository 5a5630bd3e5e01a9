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
    void isoCtsSwapsTheSumsWeakestDirectionsForEachTasksOwn() {
        // T = 2, r = 4, c = 0.5: floor(0.5·4) = 2, s = round(2 / 2) = 1 per task, k = 2 common. Σ τ = diag(4, −3, 1.2, 2.5):
        // common e1 (4), e2 (3, sign −1); off the common subspace τ_a keeps diag(·, ·, 1, 0.5) → e3 (1) and τ_b
        // diag(·, ·, 0.2, 2) → e4 (2). σ̄ = (4 + 3 + 1 + 2) / 4 = 2.5 and Δ = 2.5·diag(1, −1, 1, 1); Iso-C would give
        // σ̄ = (4 + 3 + 2.5 + 1.2) / 4 = 2.675 instead
        float[] zero = new float[16];
        Weights pre = weights("pre", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(4, 4, zero), "b", vec(1, 1));
        Weights a = weights("a", "attn.w", diag(4, 0, 1, 0.5f), "b", vec(3, 1));
        Weights b = weights("b", "attn.w", diag(0, -3, 0.2f, 2), "b", vec(1, 1));
        Weights cts = IsoCtsMerge.METHOD.create(Map.of("lambda", 2.0, "common", 0.5)).merge(inputs(pre, a, b));
        float[] want = values(weights("w", "attn.w", diag(5, -5, 5, 5)), "attn.w");
        assertArrayEquals(want, values(cts, "attn.w"), 1e-4f);
        assertArrayEquals(new float[] {1 + 2, 1}, values(cts, "b"), EPS, "the bias takes the mean τ");
        Weights iso = IsoCtsMerge.METHOD.create(Map.of("lambda", 1.0, "common", 1.0)).merge(inputs(pre, a, b));
        assertArrayEquals(values(IsoCMerge.METHOD.create(Map.of("lambda", 1.0)).merge(inputs(pre, a, b)), "attn.w"), values(iso, "attn.w"),
                1e-4f, "with the whole rank common it is Iso-C");
        assertEquals(1, IsoCtsMerge.perTask(4, 2, 0.5));
        assertEquals(0, IsoCtsMerge.perTask(2, 3, 0.0), "round(2/3) = 1 per task would need 3 > r directions");
        assertEquals(19, IsoCtsMerge.perTask(768, 8, 0.8), "ViT-B/32: 614 common, 154/8 = 19.25 → 19");
    }

    @Test
    void emrMasksBySignEvenWhereTheProductWouldUnderflow() {
        assertTrue(EmrMerge.agrees(1e-30f, 2e-30f), "1e-30 · 2e-30 underflows to 0 in float, the signs still agree");
        assertTrue(EmrMerge.agrees(-3, -1e-40f));
        assertTrue(!EmrMerge.agrees(0, 1) && !EmrMerge.agrees(-1, 1));
    }

    @Test
    void linesScalesEachBlockOfTheMergedTaskVectorLinearlyInDepth() {
        Weights pre = weights("pre", "embed", vec(1), "blocks.0.w", vec(1), "blocks.1.w", vec(1), "blocks.2.w", vec(1), "ln_post.w", vec(1));
        Weights a = weights("a", "embed", vec(3), "blocks.0.w", vec(3), "blocks.1.w", vec(3), "blocks.2.w", vec(3), "ln_post.w", vec(3));
        Weights b = weights("b", "embed", vec(2), "blocks.0.w", vec(2), "blocks.1.w", vec(2), "blocks.2.w", vec(2), "ln_post.w", vec(2));
        // TA at λ = 1: Δ = 3 everywhere; block l of 3 scales by 0.2 + 0.6·l/2, tensors outside the blocks by α = 0.2
        Merge lines = TaskArithmeticMerge.METHOD.create(Map.of("lambda", 1.0, "lines_alpha", 0.2, "lines_beta", 0.6));
        Weights m = lines.merge(inputs(pre, a, b));
        assertArrayEquals(new float[] {1 + 0.6f}, values(m, "embed"), EPS);
        assertArrayEquals(new float[] {1 + 0.6f}, values(m, "blocks.0.w"), EPS);
        assertArrayEquals(new float[] {1 + 1.5f}, values(m, "blocks.1.w"), EPS);
        assertArrayEquals(new float[] {1 + 2.4f}, values(m, "blocks.2.w"), EPS);
        assertArrayEquals(new float[] {1 + 0.6f}, values(m, "ln_post.w"), EPS);
        assertEquals(0.6, lines.parameters().get("lines_beta"));
        Weights changed = lines.with("lambda", 0.5).merge(inputs(pre, a, b));
        assertArrayEquals(new float[] {1 + 1.2f}, values(changed, "blocks.2.w"), EPS, "with() keeps the modifier");
        Weights plain = TaskArithmeticMerge.METHOD.create(Map.of("lambda", 1.0, "lines_alpha", 1.0, "lines_beta", 0.0)).merge(inputs(pre, a, b));
        assertArrayEquals(new float[] {1 + 3}, values(plain, "blocks.0.w"), EPS, "α = 1, β = 0 is the merge itself");
        assertEquals(3, LinesScaling.block("visual.transformer.resblocks.3.mlp.c_fc.weight"));
        assertEquals(-1, LinesScaling.block("visual.ln_post.weight"));
        assertTrue(MergeCatalogue.all().stream().filter(x -> !x.needsBase()).noneMatch(x -> x.param("lines_alpha") != null),
                "only merges of the form θ_pre + Δ take it");
    }

    /** WUDI's loss as its definition writes it: Σ_t ‖(τ_m − τ_t) τ_tᵀ‖²_F / ‖τ_t‖²_F (row-major rows × cols). */
    private static double wudiLoss(float[] merged, float[][] taus, int rows, int cols) {
        double loss = 0;
        for (float[] tau : taus) {
            double norm = 0;
            for (float v : tau) {
                norm += v * v;
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < rows; j++) {
                    double p = 0;
                    for (int k = 0; k < cols; k++) {
                        p += (merged[i * cols + k] - tau[i * cols + k]) * (double) tau[j * cols + k];
                    }
                    loss += p * p / norm;
                }
            }
        }
        return loss;
    }

    @Test
    void wudiDescentApproachesItsClosedFormWhichZeroesTheGradient() {
        Random rnd = new Random(5);
        int rows = 3;
        int cols = 4;
        float[][] taus = new float[3][];
        for (int t = 0; t < 3; t++) {
            taus[t] = random(rnd, 1, rows, cols).values();
        }
        WudiMerge.Problem p = WudiMerge.Problem.of(taus, rows, cols);
        float[] exact = p.closedForm("w");
        double best = wudiLoss(exact, taus, rows, cols);
        assertTrue(best < wudiLoss(p.start(), taus, rows, cols), "the closed form improves on Σ τ_t");
        for (int k = 0; k < 20; k++) {
            float[] nearby = exact.clone();
            nearby[rnd.nextInt(nearby.length)] += (float) (rnd.nextGaussian() * 0.01);
            assertTrue(wudiLoss(nearby, taus, rows, cols) >= best - 1e-6, "a minimum: no nearby point is lower");
        }
        float[] paper = p.descend(300, 1e-5);
        float[] longer = p.descend(4000, 1e-2);
        double gapPaper = distance(paper, exact);
        double gapLonger = distance(longer, exact);
        assertTrue(gapLonger < 1e-2 * distance(p.start(), exact), "a long descent reaches the closed form: " + gapLonger);
        assertTrue(gapPaper > gapLonger, "the paper's 300 steps at 1e-5 stop short of it");
        assertTrue(wudiLoss(longer, taus, rows, cols) <= wudiLoss(paper, taus, rows, cols));
    }

    @Test
    void wudiClosedFormLeavesTheNullSpaceOfTheTaskRowsWhereItStarted() {
        // rank-1 task vectors in 3 columns: G has a null space, along which τ_m keeps Σ τ_t's part
        float[] a = {1, 0, 0.7f, 2, 0, 1.4f};      // rows (1, 0, 0.7) and (2, 0, 1.4) — not in span(e1, e2) alone
        float[] b = {0.5f, 3, 0, -0.5f / 3, -1, 0};   // rows along (0.5, 3, 0)
        float[][] taus = {a, b};
        WudiMerge.Problem p = WudiMerge.Problem.of(taus, 2, 3);
        float[] exact = p.closedForm("w");
        // the rows span (1, 0, 0.7) and (0.5, 3, 0): null direction z = their cross product (−2.1, 0.35, 3)
        double[] z = {-2.1, 0.35, 3};
        for (int i = 0; i < 2; i++) {
            double moved = 0;
            for (int k = 0; k < 3; k++) {
                moved += (exact[i * 3 + k] - p.start()[i * 3 + k]) * z[k];
            }
            assertEquals(0, moved, 1e-5, "row " + i + " did not move along the null space");
        }
        assertTrue(wudiLoss(exact, taus, 2, 3) < wudiLoss(p.start(), taus, 2, 3), "the start interferes (b's rows see a's)");
        Weights pre = weights("pre", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(2, 3, new float[6]), "b", vec(0, 0));
        Weights fa = weights("a", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(2, 3, a), "b", vec(2, 0));
        Weights fb = weights("b", "attn.w", org.taulab.dsl.tensor.Fixtures.mat(2, 3, b), "b", vec(0, 4));
        Weights merged = WudiMerge.METHOD.create(Map.of("exact", true, "lambda", 0.5)).merge(inputs(pre, fa, fb));
        float[] half = exact.clone();
        for (int i = 0; i < half.length; i++) {
            half[i] *= 0.5f;
        }
        assertArrayEquals(half, values(merged, "attn.w"), 1e-5f);
        assertArrayEquals(new float[] {0.5f, 1}, values(merged, "b"), EPS, "the bias takes the mean τ");
    }

    private static double distance(float[] x, float[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += (x[i] - y[i]) * (double) (x[i] - y[i]);
        }
        return Math.sqrt(d);
    }

    private static org.taulab.dsl.tensor.Fixtures.T diag(float... d) {
        float[] m = new float[d.length * d.length];
        for (int i = 0; i < d.length; i++) {
            m[i * d.length + i] = d[i];
        }
        return org.taulab.dsl.tensor.Fixtures.mat(d.length, d.length, m);
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
