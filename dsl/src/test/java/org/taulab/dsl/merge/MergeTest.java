package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.tensor.Fixtures.mat;
import static org.taulab.dsl.tensor.Fixtures.random;
import static org.taulab.dsl.tensor.Fixtures.values;
import static org.taulab.dsl.tensor.Fixtures.vec;
import static org.taulab.dsl.tensor.Fixtures.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;

class MergeTest {
    private static final float EPS = 1e-5f;

    private static MergeInputs inputs(Weights pre, Weights... fts) {
        return new MergeInputs(pre, List.of(fts));
    }

    @Test
    void taskArithmeticByHand() {
        Weights pre = weights("pre", "w", vec(1, 1));
        Weights ft1 = weights("ft1", "w", vec(2, 3));
        Weights ft2 = weights("ft2", "w", vec(0, 1));
        Weights ta = new TaskArithmeticMerge().lambda(0.3).merge(inputs(pre, ft1, ft2));
        assertArrayEquals(new float[] {1, 1.6f}, values(ta, "w"), EPS);
        Weights neg = new TaskArithmeticMerge().lambda(0.5).negation().merge(inputs(pre, ft1));
        assertArrayEquals(new float[] {0.5f, 0}, values(neg, "w"), EPS);
        assertEquals(0.3, new TaskArithmeticMerge().lambda(), 0, "default λ");
    }

    @Test
    void taskArithmeticWithOneOverTEqualsTheAverage() {
        Random rnd = new Random(1);
        Weights pre = weights("pre", "a", random(rnd, 1, 5, 4), "b", random(rnd, 1, 7));
        List<Weights> fts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fts.add(weights("ft" + t, "a", random(rnd, 1, 5, 4), "b", random(rnd, 1, 7)));
        }
        MergeInputs in = new MergeInputs(pre, fts);
        Weights ta = new TaskArithmeticMerge().lambda(0.25).merge(in);
        Weights avg = new AverageMerge().merge(in);
        for (String k : List.of("a", "b")) {
            assertArrayEquals(values(avg, k), values(ta, k), EPS);
        }
        // and the average is the plain mean, computed here by hand
        float[] mean = new float[7];
        for (Weights ft : fts) {
            float[] v = values(ft, "b");
            for (int i = 0; i < 7; i++) {
                mean[i] += v[i] / 4;
            }
        }
        assertArrayEquals(mean, values(avg, "b"), EPS);
    }

    @Test
    void tiesByHand() {
        // trim to the top 2 of 4 per task, elect signs, disjoint mean (worked through in the comments)
        Weights pre = weights("pre", "w", vec(1, 1, 1, 1));
        Weights ft1 = weights("ft1", "w", vec(4, 0, 1.5f, 3));     // τ1 = ( 3, -1,  0.5,  2) -> ( 3,  0, 0,  2)
        Weights ft2 = weights("ft2", "w", vec(-1, 5, 0.8f, 2));    // τ2 = (-2,  4, -0.2,  1) -> (-2,  4, 0,  0)
        Weights ft3 = weights("ft3", "w", vec(2, -2, 1.1f, -4));   // τ3 = ( 1, -3,  0.1, -5) -> ( 0, -3, 0, -5)
        // sum (1, 1, 0, -3): γ = (+, +, majority = +, -); means over agreeing values: (3, 4, 0, -5)
        for (TiesMerge.Scope scope : TiesMerge.Scope.values()) {
            Weights ties = new TiesMerge().topK(0.5).lambda(1.0).scope(scope).merge(inputs(pre, ft1, ft2, ft3));
            assertArrayEquals(new float[] {4, 5, 1, -4}, values(ties, "w"), EPS, scope.name());
        }
        Weights half = new TiesMerge().topK(0.5).lambda(0.5).merge(inputs(pre, ft1, ft2, ft3));
        assertArrayEquals(new float[] {2.5f, 3, 1, -1.5f}, values(half, "w"), EPS);
    }

    @Test
    void tiesGlobalTrimsAcrossTensors() {
        // one task, k = 0.5 of 4 entries spread over two tensors: the two largest are both in "a"
        Weights pre = weights("pre", "a", vec(0, 0), "b", vec(0, 0));
        Weights ft = weights("ft", "a", vec(5, -6), "b", vec(1, 2));
        Weights global = new TiesMerge().topK(0.5).merge(inputs(pre, ft));
        assertArrayEquals(new float[] {5, -6}, values(global, "a"), EPS);
        assertArrayEquals(new float[] {0, 0}, values(global, "b"), EPS);
        Weights perTensor = new TiesMerge().topK(0.5).scope(TiesMerge.Scope.TENSOR).merge(inputs(pre, ft));
        assertArrayEquals(new float[] {0, -6}, values(perTensor, "a"), EPS);
        assertArrayEquals(new float[] {0, 2}, values(perTensor, "b"), EPS);
    }

    @Test
    void tiesKeepingEverythingWithAgreeingSignsIsTheMean() {
        Random rnd = new Random(5);
        Weights pre = weights("pre", "a", random(rnd, 1, 3, 3));
        float[] p = values(pre, "a");
        List<Weights> fts = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            float[] v = p.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.1 + rnd.nextDouble()) * (i % 2 == 0 ? 1 : -1);
            }
            fts.add(weights("ft" + t, "a", mat(3, 3, v)));
        }
        MergeInputs in = new MergeInputs(pre, fts);
        Weights ties = new TiesMerge().topK(1.0).lambda(1.0).merge(in);
        assertArrayEquals(values(new AverageMerge().merge(in), "a"), values(ties, "a"), EPS);
    }

    @Test
    void consensusByHand() {
        Weights pre = weights("pre", "w", vec(0, 0, 0));
        Weights ft1 = weights("ft1", "w", vec(1, 0, 2));
        Weights ft2 = weights("ft2", "w", vec(1, 0.1f, -2));
        Weights ft3 = weights("ft3", "w", vec(1, 3, 0.5f));
        // τ_MTL = (3, 3.1, 0.5); masks with λ_t = 0.5: m1 = (1,0,1), m2 = (1,0,1), m3 = (1,1,1) -> votes (3,1,3)
        Weights c = new ConsensusMerge().lambda(1.0).tallLambdas(List.of(0.5)).merge(inputs(pre, ft1, ft2, ft3));
        assertArrayEquals(new float[] {3, 0, 0.5f}, values(c, "w"), EPS);
        // requiring 3 agreeing masks keeps entries 0 and 2 only as well; requiring 4 keeps nothing
        Weights none = new ConsensusMerge().lambda(1.0).tallLambdas(List.of(0.5)).minAgree(4).merge(inputs(pre, ft1, ft2, ft3));
        assertArrayEquals(new float[] {0, 0, 0}, values(none, "w"), EPS);
    }

    // Diagonal matrices have explicit SVDs: SVD_1 keeps the entry of largest magnitude.
    private static final Weights D1 = weights("ft1", "attn.w", mat(2, 2, 5, 0, 0, 1), "bias", vec(1, 2));
    private static final Weights D2 = weights("ft2", "attn.w", mat(2, 2, 2, 0, 0, 0), "bias", vec(3, 2));
    private static final Weights D3 = weights("ft3", "attn.w", mat(2, 2, 2, 0, 0, 5), "bias", vec(2, 5));
    private static final Weights ZERO = weights("pre", "attn.w", mat(2, 2, 0, 0, 0, 0), "bias", vec(0, 0));

    @Test
    void cartByHand() {
        // θ_avg = diag(3, 2); ν = diag(2,-1), diag(-1,-2), diag(-1,3); SVD_1: diag(2,0) + diag(0,-2) + diag(0,3)
        Weights cart = new CartMerge().rank(0.5).lambda(1.0).merge(new MergeInputs(null, List.of(D1, D2, D3)));
        assertArrayEquals(new float[] {5, 0, 0, 3}, values(cart, "attn.w"), EPS);
        assertArrayEquals(new float[] {2, 3}, values(cart, "bias"), EPS, "unselected tensors are the average");
    }

    @Test
    void cartAtRatioZeroAndOneIsTheWeightAverage() {
        Random rnd = new Random(9);
        List<Weights> fts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fts.add(weights("ft" + t, "blocks.0.attn.in_proj_weight", random(rnd, 1, 6, 4), "blocks.0.mlp.c_fc.weight",
                    random(rnd, 1, 3, 5), "ln.bias", random(rnd, 1, 4)));
        }
        MergeInputs in = new MergeInputs(null, fts);
        Weights avg = new AverageMerge().merge(in);
        for (double r : new double[] {0.0, 1.0}) {
            Weights cart = new CartMerge().rank(r).lambda(2.0).merge(in);
            for (String k : avg.keys()) {
                assertArrayEquals(values(avg, k), values(cart, k), 1e-4f, "ratio " + r + " tensor " + k);
            }
        }
    }

    @Test
    void lowRankTaskArithmeticByHandAndAtFullRank() {
        Weights lr = new LowRankTaskArithmeticMerge().rank(0.5).lambda(0.5).merge(inputs(ZERO, D1, D2, D3));
        // SVD_1(τ): diag(5,0) + diag(2,0) + diag(0,5) = diag(7,5); λ = 0.5
        assertArrayEquals(new float[] {3.5f, 0, 0, 2.5f}, values(lr, "attn.w"), EPS);
        assertArrayEquals(new float[] {3, 4.5f}, values(lr, "bias"), EPS, "unselected tensors keep full τ");
        Weights full = new LowRankTaskArithmeticMerge().rank(1.0).lambda(0.5).merge(inputs(ZERO, D1, D2, D3));
        Weights ta = new TaskArithmeticMerge().lambda(0.5).merge(inputs(ZERO, D1, D2, D3));
        assertArrayEquals(values(ta, "attn.w"), values(full, "attn.w"), 1e-4f);
    }

    @Test
    void tsvmByHand() {
        Weights ft1 = weights("ft1", "attn.w", mat(2, 2, 3, 0, 0, 1), "bias", vec(2, 0));
        Weights ft2 = weights("ft2", "attn.w", mat(2, 2, 1, 0, 0, 2), "bias", vec(0, 4));
        // k = floor(2/2) = 1: (σ=3, e1, e1) from τ1 and (σ=2, e2, e2) from τ2 are already orthogonal
        Weights m = new TsvmMerge().lambda(1.0).merge(inputs(ZERO, ft1, ft2));
        assertArrayEquals(new float[] {3, 0, 0, 2}, values(m, "attn.w"), 1e-4f);
        assertArrayEquals(new float[] {1, 2}, values(m, "bias"), EPS, "unselected tensors take the mean τ");
    }

    @Test
    void tsvmOrthogonalizesOverlappingSubspaces() {
        // two rank-1 vectors with the same left direction: the polar factor makes the two columns orthonormal
        Weights ft1 = weights("ft1", "attn.w", mat(2, 2, 2, 0, 0, 0));
        Weights ft2 = weights("ft2", "attn.w", mat(2, 2, 0, 1, 0, 0));
        Weights m = new TsvmMerge().merge(inputs(weights("pre", "attn.w", mat(2, 2, 0, 0, 0, 0)), ft1, ft2));
        float[] v = values(m, "attn.w");
        // U_cat = [e1, e1] is rank one; its polar factor maps both to (e1 ± e2)/√2-like directions: the result must
        // keep the energy of both (Frobenius² = 2² + 1²) since U⊥ and V⊥ are orthonormal.
        double fro = 0;
        for (float x : v) {
            fro += x * x;
        }
        assertEquals(5.0, fro, 1e-3);
    }

    @Test
    void cartIndexingServesEachTask() {
        MergeInputs in = new MergeInputs(null, List.of(D1, D2, D3));
        CartIndex full = CartIndex.build(in).rank(1.0).lambda(1.0);
        assertArrayEquals(values(D3, "attn.w"), values(full.weightsFor("ft3"), "attn.w"), 1e-4f);
        CartIndex low = CartIndex.build(in).rank(0.5).lambda(1.0);
        // θ_avg + SVD_1(ν_1) = diag(3,2) + diag(2,0)
        assertArrayEquals(new float[] {5, 0, 0, 2}, values(low.weightsFor(0), "attn.w"), EPS);
        // stored: the average (6 floats) + 3 tasks × k(m+n+1) = 3 × 1 × 5
        assertEquals(6 + 15, low.storedFloats());
        assertEquals(3 * 6L, low.compressionTable().longColumn("floats").get(0));
        TauLabException e = assertThrows(TauLabException.class, () -> low.weightsFor("nope"));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void gridSearchFindsTheBestPointAndTabulatesAll() {
        MergeInputs in = inputs(ZERO, D1, D2, D3);
        Weights target = new TaskArithmeticMerge().lambda(0.5).merge(in);
        float[] goal = values(target, "attn.w");
        GridSearch.Result r = GridSearch.run(new TaskArithmeticMerge(), Map.of("lambda", List.of(0.1, 0.5, 0.9)), in, w -> {
            float[] v = values(w, "attn.w");
            double d = 0;
            for (int i = 0; i < v.length; i++) {
                d += Math.pow(v[i] - goal[i], 2);
            }
            return -d;
        });
        assertEquals(0.5, r.best().get("lambda"));
        assertEquals(3, r.points().rowCount());
        assertEquals(0.0, r.bestScore(), 1e-9);
        assertEquals(0.5, r.bestMerge().parameters().get("lambda"));
        assertThrows(TauLabException.class, () -> GridSearch.run(new TaskArithmeticMerge(), Map.of("lamda", List.of(1)), in, w -> 0));
    }

    @Test
    void nanInAnInputIsReportedByName() {
        Weights bad = weights("bad.safetensors", "attn.w", mat(2, 2, 1, Float.NaN, 0, 0), "bias", vec(0, 0));
        MergeInputs in = inputs(ZERO, D1, bad);
        TauLabException e = assertThrows(TauLabException.class, () -> values(new TaskArithmeticMerge().merge(in), "attn.w"));
        assertTrue(e.getMessage().contains("'attn.w'") && e.getMessage().contains("bad.safetensors") && e.getMessage().contains("NaN"),
                e.getMessage());
        TauLabException inSvd = assertThrows(TauLabException.class,
                () -> values(new CartMerge().rank(0.5).merge(new MergeInputs(null, List.of(D1, D2, bad))), "attn.w"));
        assertTrue(inSvd.getMessage().contains("'attn.w'") && inSvd.getMessage().contains("bad.safetensors"), inSvd.getMessage());
        Weights inf = weights("inf.safetensors", "attn.w", mat(2, 2, 1, 0, Float.POSITIVE_INFINITY, 0), "bias", vec(0, 0));
        TauLabException e2 = assertThrows(TauLabException.class,
                () -> values(new AverageMerge().merge(new MergeInputs(null, List.of(D1, inf))), "attn.w"));
        assertTrue(e2.getMessage().contains("Inf"), e2.getMessage());
    }

    @Test
    void mismatchedCheckpointsNameTheTensor() {
        Weights other = weights("other", "attn.w", mat(1, 4, 0, 0, 0, 0), "bias", vec(0, 0));
        TauLabException e = assertThrows(TauLabException.class, () -> inputs(ZERO, D1, other));
        assertTrue(e.getMessage().contains("'attn.w'") && e.getMessage().contains("[2, 2]") && e.getMessage().contains("[1, 4]"),
                e.getMessage());
        assertThrows(TauLabException.class, () -> new TaskArithmeticMerge().merge(new MergeInputs(null, List.of(D1))));
    }
}
