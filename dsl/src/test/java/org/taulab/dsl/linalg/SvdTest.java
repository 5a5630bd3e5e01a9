package org.taulab.dsl.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;

class SvdTest {
    @Test
    void rankFormula() {
        assertEquals(61, Svd.rankFor(0.08, 768, 3072));
        assertEquals(29, Svd.rankFor(0.29, 100, 100), "floating error must not lose a rank");
        assertEquals(0, Svd.rankFor(0, 10, 20));
        assertEquals(1, Svd.rankFor(0.001, 10, 20));
        assertEquals(10, Svd.rankFor(1, 10, 20));
        assertThrows(TauLabException.class, () -> Svd.rankFor(1.5, 10, 20));
        assertEquals(3, Rank.parse(3).k(10, 20));
        assertEquals(10, Rank.parse(50).k(10, 20), "absolute ranks are capped at min(m, n)");
        assertEquals(2, Rank.parse(0.2).k(10, 20));
    }

    @Test
    void singularValuesMatchAnIndependentJacobiSvd() {
        Random rnd = new Random(7);
        int[][] shapes = {{12, 7}, {7, 12}, {30, 30}, {1, 5}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            float[] a = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
            Svd d = Svd.of(a, m, n, "x");
            double[] reference = JacobiSvd.singularValues(a, m, n);
            for (int i = 0; i < d.p(); i++) {
                assertEquals(reference[i], d.s()[i], 1e-4 * (1 + reference[0]), "σ_" + i + " of " + m + "×" + n);
            }
            float[] full = d.truncate(d.p());
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], full[i], 1e-4, "reconstruction");
            }
            // U has orthonormal columns
            int p = d.p();
            for (int c1 = 0; c1 < p; c1++) {
                for (int c2 = 0; c2 < p; c2++) {
                    double dot = 0;
                    for (int r = 0; r < m; r++) {
                        dot += d.u()[r * p + c1] * d.u()[r * p + c2];
                    }
                    assertEquals(c1 == c2 ? 1 : 0, dot, 1e-4);
                }
            }
        }
    }

    @Test
    void truncationErrorIsTheDiscardedEnergy() {
        Random rnd = new Random(3);
        int m = 20;
        int n = 9;
        float[] a = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        Svd d = Svd.of(a, m, n, "x");
        for (int k = 0; k <= n; k++) {
            float[] ak = d.truncate(k);
            double err = 0;
            for (int i = 0; i < a.length; i++) {
                err += Math.pow(a[i] - ak[i], 2);
            }
            double[] sv = JacobiSvd.singularValues(a, m, n);
            double tail = Arrays.stream(sv, k, sv.length).map(x -> x * x).sum();
            assertEquals(tail, err, 1e-3 * (1 + tail), "k=" + k);
        }
    }

    @Test
    void sumOfTruncationsEqualsSeparateTruncations() {
        Random rnd = new Random(11);
        Svd[] svds = new Svd[3];
        float[][] each = new float[3][];
        for (int t = 0; t < 3; t++) {
            float[] a = new float[8 * 6];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
            svds[t] = Svd.of(a, 8, 6, "x");
            each[t] = svds[t].truncate(2);
        }
        float[] sum = Svd.sumOfTruncations(svds, 2, 0.5f);
        for (int i = 0; i < sum.length; i++) {
            assertEquals(0.5 * (each[0][i] + each[1][i] + each[2][i]), sum[i], 1e-5);
        }
    }

    @Test
    void aLargeSumOfTruncationsSplitIntoRowBlocksEqualsTheSumByHand() {
        int m = 1031;   // rows not divisible by the number of blocks
        int n = 512;
        int k = 16;
        int tasks = 8;
        assertTrue((long) m * n * k * tasks >= Svd.PARALLEL_WORK, "large enough to be split");
        Random rnd = new Random(5);
        Svd[] svds = new Svd[tasks];
        for (int t = 0; t < tasks; t++) {
            float[] u = new float[m * k];
            float[] s = new float[k];
            float[] vt = new float[k * n];
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) rnd.nextGaussian();
            }
            for (int j = 0; j < k; j++) {
                s[j] = k - j;
            }
            for (int i = 0; i < vt.length; i++) {
                vt[i] = (float) rnd.nextGaussian();
            }
            svds[t] = new Svd(m, n, u, s, vt);
        }
        float[] sum = Svd.sumOfTruncations(svds, 12, 0.25f);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < n; l++) {
                double expected = 0;
                for (Svd d : svds) {
                    for (int j = 0; j < 12; j++) {
                        expected += (double) d.u()[i * k + j] * d.s()[j] * d.vt()[j * n + l];
                    }
                }
                worst = Math.max(worst, Math.abs(0.25 * expected - sum[i * n + l]));
            }
        }
        assertTrue(worst < 1e-3, "worst difference " + worst + " (entries are about 10^2)");
    }
}
