package org.taulab.dsl.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.tensor.Fixtures.mat;
import static org.taulab.dsl.tensor.Fixtures.random;
import static org.taulab.dsl.tensor.Fixtures.vec;
import static org.taulab.dsl.tensor.Fixtures.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.Tau;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;
import tech.tablesaw.api.Table;

class AnalysesTest {
    @Test
    void reconstructionErrorIsTheSumOfDiscardedSquaredSingularValues() {
        Random rnd = new Random(21);
        Weights pre = weights("pre", "attn.w", random(rnd, 1, 6, 4));
        List<TaskVector> vs = new ArrayList<>();
        List<float[]> raw = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Weights ft = weights("ft" + t, "attn.w", random(rnd, 1, 6, 4));
            vs.add(Tau.tau(ft, pre));
            raw.add(org.taulab.dsl.tensor.Fixtures.values(vs.get(t), "attn.w"));
        }
        Table r = Analyses.reconstructionError(vs, Selector.defaultMatrices(), List.of(0.0, 0.25, 0.5, 1.0));
        assertEquals(4, r.rowCount());
        int[] ks = {0, 1, 2, 4};
        for (int row = 0; row < 4; row++) {
            assertEquals(ks[row], r.intColumn("k").get(row));
            double expected = 0;
            double energy = 0;
            for (float[] a : raw) {
                double[] sv = org.taulab.dsl.linalg.JacobiSvdAccess.singularValues(a, 6, 4);
                for (int i = ks[row]; i < sv.length; i++) {
                    expected += sv[i] * sv[i];
                }
                for (double s : sv) {
                    energy += s * s;
                }
            }
            assertEquals(expected, r.doubleColumn("error").get(row), 1e-3 * (1 + expected));
            assertEquals(expected / energy, r.doubleColumn("relative").get(row), 1e-4);
        }
        assertEquals(1.0, r.doubleColumn("relative").get(0), 1e-6);
    }

    @Test
    void interferenceOfTwoRankOneVectorsIsTwiceTheirRowCosine() {
        // ν1 = 2 e1 e1ᵀ (row direction e1), ν2 = 3 e2 (0.6, 0.8)ᵀ: ‖Σ̃ V1ᵀ V2 Σ̃‖ = 0.6 in each order
        Weights zero = weights("pre", "attn.w", mat(2, 2, 0, 0, 0, 0));
        TaskVector v1 = Tau.tau(weights("a", "attn.w", mat(2, 2, 2, 0, 0, 0)), zero);
        TaskVector v2 = Tau.tau(weights("b", "attn.w", mat(2, 2, 0, 0, 1.8f, 2.4f)), zero);
        Table t = Analyses.interference(List.of(v1, v2), Selector.defaultMatrices(), List.of(0.5));
        assertEquals(1.2, t.doubleColumn("interference").get(0), 1e-5);
        assertEquals(0.0, Analyses.interference(List.of(v1, v2), Selector.defaultMatrices(), List.of(0.0))
                .doubleColumn("interference").get(0), 0);
    }

    @Test
    void centeredVsOriginalTableHasOneRowPerRatio() {
        Random rnd = new Random(4);
        Weights pre = weights("pre", "attn.w", random(rnd, 1, 8, 8));
        List<Weights> fts = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            fts.add(weights("ft" + t, "attn.w", random(rnd, 1, 8, 8)));
        }
        MergeInputs in = new MergeInputs(pre, fts);
        Table t = Analyses.interferenceCenteredVsOriginal(in, Selector.defaultMatrices(), List.of(0.25, 0.5));
        assertEquals(2, t.rowCount());
        double direct = Analyses.interference(in.centered(), Selector.defaultMatrices(), List.of(0.25)).doubleColumn("interference").get(0);
        assertEquals(direct, t.doubleColumn("centered").get(0), 1e-9);
    }

    @Test
    void cosineMatrixAndNormsByHand() {
        Weights zero = weights("pre", "w", vec(0, 0));
        TaskVector a = Tau.tau(weights("a", "w", vec(1, 0)), zero);
        TaskVector b = Tau.tau(weights("b", "w", vec(1, 1)), zero);
        Table c = Analyses.cosineMatrix(List.of(a, b), List.of("a", "b"));
        assertEquals(1.0, c.doubleColumn("a").get(0), 1e-9);
        assertEquals(Math.sqrt(0.5), c.doubleColumn("a").get(1), 1e-9);
        assertEquals(Math.sqrt(0.5), c.doubleColumn("b").get(0), 1e-9);
        Table n = Analyses.norms(weights("x", "w", vec(3, 4), "m", mat(1, 1, 2)));
        assertEquals(5.0, n.doubleColumn("norm").get(0), 1e-9);
        assertEquals("[1, 1]", n.stringColumn("shape").get(1));
    }

    @Test
    void spectrumListsEverySingularValue() {
        Weights zero = weights("pre", "attn.w", mat(2, 2, 0, 0, 0, 0));
        TaskVector v = Tau.tau(weights("a", "attn.w", mat(2, 2, 3, 0, 0, -4)), zero);
        Table s = Analyses.spectrum(List.of(v), List.of("a"), Selector.defaultMatrices());
        assertEquals(2, s.rowCount());
        assertEquals(4.0, s.doubleColumn("sigma").get(0), 1e-5);
        assertEquals(3.0, s.doubleColumn("sigma").get(1), 1e-5);
        assertTrue(s.stringColumn("task").get(0).equals("a"));
    }
}
