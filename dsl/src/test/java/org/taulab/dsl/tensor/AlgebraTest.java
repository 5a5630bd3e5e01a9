package org.taulab.dsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.tensor.Fixtures.mat;
import static org.taulab.dsl.tensor.Fixtures.values;
import static org.taulab.dsl.tensor.Fixtures.vec;
import static org.taulab.dsl.tensor.Fixtures.weights;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taulab.Tau;
import org.taulab.dsl.TauLabException;

class AlgebraTest {
    private final Weights pre = weights("pre", "a", vec(1, 2, 3), "b", mat(2, 2, 1, 0, 0, 1));
    private final Weights ft1 = weights("ft1", "a", vec(2, 2, 5), "b", mat(2, 2, 1, 1, 0, 1));
    private final Weights ft2 = weights("ft2", "a", vec(0, 4, 3), "b", mat(2, 2, 3, 0, 0, 0));

    @Test
    void taskVectorIsDifference() {
        TaskVector t1 = Tau.tau(ft1, pre);
        assertArrayEquals(new float[] {1, 0, 2}, values(t1, "a"), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 0, 0}, values(t1, "b"), 1e-6f);
    }

    @Test
    void paperNotationComposes() {
        // theta = pre + 0.5 * (tau(ft1) + tau(ft2)), by hand: τ1 = (1,0,2 | 0,1,0,0), τ2 = (-1,2,0 | 2,0,0,-1)
        Weights theta = pre.plus(Tau.tau(ft1, pre).plus(Tau.tau(ft2, pre)).times(0.5));
        assertArrayEquals(new float[] {1, 3, 4}, values(theta, "a"), 1e-6f);
        assertArrayEquals(new float[] {2, 0.5f, 0, 0.5f}, values(theta, "b"), 1e-6f);
        Weights negated = pre.minus(Tau.tau(ft1, pre));
        assertArrayEquals(new float[] {0, 2, 1}, values(negated, "a"), 1e-6f);
        assertArrayEquals(new float[] {-1, 0, -2}, values(Tau.tau(ft1, pre).neg(), "a"), 1e-6f);
    }

    @Test
    void sessionBaseAndSumAndMean() {
        Tau.base(pre);
        TaskVector s = Tau.sum(List.of(Tau.tau(ft1), Tau.tau(ft2)));
        assertArrayEquals(new float[] {0, 2, 2}, values(s, "a"), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 1}, values(Tau.mean(List.of(Tau.tau(ft1), Tau.tau(ft2))), "a"), 1e-6f);
    }

    @Test
    void normAndCosineByHand() {
        TaskVector t1 = Tau.tau(ft1, pre); // (1,0,2,0,1,0,0): |t1|² = 6
        TaskVector t2 = Tau.tau(ft2, pre); // (-1,2,0,2,0,0,-1): |t2|² = 10, t1·t2 = -1
        assertEquals(Math.sqrt(6), t1.norm(), 1e-9);
        assertEquals(-1, t1.dot(t2), 1e-9);
        assertEquals(-1 / Math.sqrt(60), t1.cos(t2), 1e-9);
        assertEquals(1.0, t1.cos(t1.times(3)), 1e-9);
    }

    @Test
    void valuesAreImmutable() {
        TaskVector t1 = Tau.tau(ft1, pre);
        t1.times(10);
        t1.get("a");
        t1.plus(t1).neg();
        assertArrayEquals(new float[] {1, 0, 2}, values(t1, "a"), 1e-6f);
        assertArrayEquals(new float[] {1, 0, 2}, t1.get("a").toFloatArray());
        assertArrayEquals(new float[] {2, 0, 4}, values(t1.plus(t1), "a"), "materialized inputs are copied, not changed");
    }

    @Test
    void shapeMismatchNamesTensorAndBothShapes() {
        Weights other = weights("other", "a", vec(1, 2), "b", mat(2, 2, 1, 0, 0, 1));
        TauLabException e = assertThrows(TauLabException.class, () -> ft1.minus(other));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void missingKeyNamesTensor() {
        Weights other = weights("other", "a", vec(1, 2, 3));
        TauLabException e = assertThrows(TauLabException.class, () -> ft1.minus(other));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("ft1") && e.getMessage().contains("other"), e.getMessage());
    }

    @Test
    void tauWithoutBaseIsAClearError() {
        Tau.base(null);
        TauLabException e = assertThrows(TauLabException.class, () -> Tau.tau(ft1));
        assertTrue(e.getMessage().contains("base"), e.getMessage());
    }

    @Test
    void svdKAtFullRankIsIdentityAndAtZeroIsZero() {
        TaskVector t = Tau.tau(ft2, pre);
        Selector all = Selector.matrices(".*");
        assertArrayEquals(values(t, "b"), values(Tau.svdK(t, 1.0, all), "b"), 1e-5f);
        assertArrayEquals(new float[4], values(Tau.svdK(t, 0.0, all), "b"));
        assertArrayEquals(values(t, "a"), values(Tau.svdK(t, 0.0, all), "a"), "1-D tensors are not decomposed");
        // default selector: name must contain attn or mlp, so "b" is untouched
        assertArrayEquals(values(t, "b"), values(Tau.svdK(t, 0.0), "b"));
    }
}
