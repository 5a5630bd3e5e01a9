package org.taulab.dsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.taulab.dsl.tensor.Fixtures.random;
import static org.taulab.dsl.tensor.Fixtures.weights;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;

class ReusedFloatsTest {
    @Test
    void aTensorsValuesAreCopiedIntoTheThreadsArrayOfTheirLength() {
        Weights w = weights("w", "a", random(new Random(1), 1.0, 7, 5), "b", random(new Random(2), 1.0, 5, 7));
        try (NDManager m = Tensors.scope()) {
            float[] a = ReusedFloats.valuesOf(w.compute("a", m));
            assertArrayEquals(w.compute("a", m).toFloatArray(), a);
            float[] b = ReusedFloats.valuesOf(w.compute("b", m));
            assertSame(a, b, "the same length: the same array, now holding b's values");
            assertArrayEquals(w.compute("b", m).toFloatArray(), b);
            assertNotSame(a, ReusedFloats.of(36), "another length, another array");
        }
    }

    @Test
    void aThreadKeepsAFewLengthsAndDropsTheLeastRecentlyUsed() {
        float[] first = ReusedFloats.of(1001);
        for (int i = 0; i < ReusedFloats.KEPT_LENGTHS; i++) {
            ReusedFloats.of(2001 + i);
        }
        assertNotSame(first, ReusedFloats.of(1001), "pushed out by KEPT_LENGTHS newer lengths");
        float[] kept = ReusedFloats.of(3001);
        ReusedFloats.of(3002);
        assertSame(kept, ReusedFloats.of(3001));
    }

    @Test
    void aDecompositionFromTheReusedArrayIsTheOneOfTheTensorsOwnValues() {
        // a task vector's tensor is computed lazily; its decomposition reads it through the reused array
        Weights base = weights("base", "m", random(new Random(3), 1.0, 40, 30));
        Weights ft = weights("ft", "m", random(new Random(4), 1.0, 40, 30));
        TaskVector tau = ft.minus(base);
        float[] values = Fixtures.values(tau, "m");
        Svd expected = SvdChoice.EXACT.decompose(values, 40, 30, 30, "m");
        Svd got = tau.svd("m", 30, SvdChoice.EXACT);
        assertArrayEquals(expected.s(), got.s());
        assertArrayEquals(expected.u(), got.u());
        assertArrayEquals(expected.vt(), got.vt());
        Svd truncated = ft.minus(base).svd("m", 3, SvdChoice.TRUNCATED);
        assertEquals(3, truncated.p());
        Svd direct = SvdChoice.TRUNCATED.decompose(values, 40, 30, 3, "m");
        assertArrayEquals(direct.s(), truncated.s());
        assertArrayEquals(direct.u(), truncated.u());
    }
}
