package org.taulab.dsl.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;

/**
 * The randomized truncated SVD against matrices built from known singular vectors and values (so the exact
 * rank-k truncation is known without any SVD), and against LAPACK's full decomposition.
 */
class TruncatedSvdTest {

    /** {@code U diag(σ) Vᵀ} with U (m × p) and V (n × p) orthonormalized Gaussians (Gram–Schmidt in double). */
    record Known(int m, int n, double[] u, double[] sigma, double[] v) {
        float[] matrix() {
            return rankK(sigma.length);
        }

        /** The exact truncation {@code Σ_{i<k} σ_i u_i v_iᵀ}. */
        float[] rankK(int k) {
            int p = sigma.length;
            float[] out = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += u[i * p + c] * sigma[c] * v[j * p + c];
                    }
                    out[i * n + j] = (float) s;
                }
            }
            return out;
        }
    }

    static Known known(int m, int n, double[] sigma, long seed) {
        Random rnd = new Random(seed);
        return new Known(m, n, orthonormal(m, sigma.length, rnd), sigma, orthonormal(n, sigma.length, rnd));
    }

    private static double[] orthonormal(int rows, int cols, Random rnd) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        for (int c = 0; c < cols; c++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int d = 0; d < c; d++) {
                    double dot = 0;
                    for (int r = 0; r < rows; r++) {
                        dot += a[r * cols + c] * a[r * cols + d];
                    }
                    for (int r = 0; r < rows; r++) {
                        a[r * cols + c] -= dot * a[r * cols + d];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) {
                norm += a[r * cols + c] * a[r * cols + c];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < rows; r++) {
                a[r * cols + c] /= norm;
            }
        }
        return a;
    }

    static double relativeDistance(float[] a, float[] b) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            n += (double) b[i] * b[i];
        }
        return n == 0 ? Math.sqrt(d) : Math.sqrt(d / n);
    }

    static double[] geometric(int p, double first, double ratio) {
        double[] s = new double[p];
        for (int i = 0; i < p; i++) {
            s[i] = first * Math.pow(ratio, i);
        }
        return s;
    }

    @Test
    void withAGapAtKItFindsTheExactTruncationTallAndWide() {
        for (int[] shape : new int[][] {{300, 120}, {120, 300}}) {
            Known a = known(shape[0], shape[1], geometric(120, 10, 0.93), 1);
            int k = 10;
            TruncatedSvd.Result r = TruncatedSvd.run(a.matrix(), a.m(), a.n(), k, TruncatedSvd.DEFAULT, "w");
            assertEquals(k, r.svd().p());
            assertFalse(r.svd().complete());
            for (int i = 0; i < k; i++) {
                assertEquals(a.sigma()[i], r.svd().s()[i], 1e-5 * a.sigma()[i], "σ_" + i + " of " + shape[0] + "×" + shape[1]);
            }
            double error = relativeDistance(r.svd().truncate(k), a.rankK(k));
            assertTrue(error < 2e-5, "rank-" + k + " part off by " + error + " (" + shape[0] + "×" + shape[1] + ")");
            assertFalse(r.exact(), "the Krylov estimate answered, not the exact SVD");
            assertTrue(r.width() < 120, "stopped by its tolerance before the space was complete: width " + r.width());
            assertTrue(r.change() <= TruncatedSvd.DEFAULT.tolerance());
        }
    }

    @Test
    void agreesWithLapacksFullDecompositionOnAGaussianMatrix() {
        // A Gaussian matrix has a slowly decaying spectrum: the hard case for a randomized method.
        int m = 256;
        int n = 96;
        float[] a = gaussianMatrix(3, m, n);
        Svd exact = Svd.of(a, m, n, "g");
        int k = 4;
        TruncatedSvd.Result r = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT, "g");
        // No usable gap: the estimate cannot be the exact truncation, but it must be nearly as good an approximation.
        double optimal = relativeDistance(exact.truncate(k), a);
        double found = relativeDistance(r.svd().truncate(k), a);
        assertTrue(found <= optimal * (1 + 1e-3), "residual " + found + " vs optimal " + optimal);
        for (int i = 0; i < k; i++) {
            assertEquals(exact.s()[i], r.svd().s()[i], 2e-2 * exact.s()[i], "σ_" + i);
        }
    }

    @Test
    void withoutAGapTheTruncationIsAsGoodAsTheOptimalOne() {
        // σ = 5, 4, 3, 2, 1.5, then 35 equal values of 1: any 5 of those 35 directions complete an optimal rank-10
        // truncation, so only the residual (Eckart–Young) and the singular values are determined.
        double[] sigma = new double[40];
        double[] head = {5, 4, 3, 2, 1.5};
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = i < head.length ? head[i] : 1;
        }
        Known a = known(200, 80, sigma, 5);
        int k = 10;
        Svd d = TruncatedSvd.of(a.matrix(), a.m(), a.n(), k, "flat");
        double optimalResidual = Math.sqrt(30);
        float[] approx = d.truncate(k);
        float[] full = a.matrix();
        double residual = 0;
        for (int i = 0; i < full.length; i++) {
            residual += ((double) full[i] - approx[i]) * ((double) full[i] - approx[i]);
        }
        assertEquals(optimalResidual, Math.sqrt(residual), 1e-4 * optimalResidual);
        for (int i = 0; i < k; i++) {
            assertEquals(sigma[i], d.s()[i], 1e-4 * sigma[i], "σ_" + i);
        }
        // The 5 leading directions are separated from the rest: that part is the exact one.
        assertTrue(relativeDistance(d.truncate(5), a.rankK(5)) < 1e-4);
    }

    @Test
    void anExactlyLowRankMatrixIsReproducedAndAZeroMatrixGivesZero() {
        Known a = known(90, 60, new double[] {3, 2, 1, 0.5, 0.25, 0.1}, 9);
        TruncatedSvd.Result low = TruncatedSvd.run(a.matrix(), 90, 60, 8, TruncatedSvd.DEFAULT, "low");
        assertTrue(low.exact(), "rank 6 < 8: the Krylov space stops growing and the exact SVD answers");
        Svd d = low.svd();
        assertTrue(relativeDistance(d.truncate(8), a.matrix()) < 1e-5);
        assertEquals(0, d.s()[6], 1e-5);
        assertEquals(0, d.s()[7], 1e-5);

        Svd zero = TruncatedSvd.of(new float[40 * 30], 40, 30, 3, "zero");
        for (float x : zero.truncate(3)) {
            assertEquals(0f, x);
        }
        assertEquals(0, TruncatedSvd.of(a.matrix(), 90, 60, 0, "none").p());
    }

    @Test
    void aRankThatIsNoMultipleOfTheBlockDeflatesAndStillFindsTheExactTruncation() {
        // Rank 20 with blocks of 16: the second block adds only 4 directions; its 12 others are refilled.
        Known a = known(120, 90, geometric(20, 3, 0.85), 31);
        int k = 12;
        TruncatedSvd.Result r = TruncatedSvd.run(a.matrix(), 120, 90, k, TruncatedSvd.DEFAULT, "rank20");
        assertFalse(r.exact(), "the Krylov estimate answered");
        assertTrue(r.deflated() >= 12, "at least the second block's 12 columns past the rank were refilled: " + r.deflated());
        assertTrue(r.width() < 90, "it stopped by its tolerance: width " + r.width());
        assertTrue(relativeDistance(r.svd().truncate(k), a.rankK(k)) < 1e-5);
    }

    @Test
    void aTinyTailIsNotLostToDeflation() {
        // σ = 10 ... (geometric) then a tail 1e-3 below σ₁ (σ² 1e-6 below σ₁², under the deflation threshold):
        // the rank-k part must still be the exact one to the tail's own effect, not to the threshold's.
        double[] sigma = new double[60];
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = i < 20 ? 10 * Math.pow(0.9, i) : 1e-2 * Math.pow(0.98, i - 20);
        }
        Known a = known(200, 60, sigma, 37);
        int k = 18;
        TruncatedSvd.Result r = TruncatedSvd.run(a.matrix(), 200, 60, k, TruncatedSvd.DEFAULT, "tail");
        assertFalse(r.exact());
        assertTrue(relativeDistance(r.svd().truncate(k), a.rankK(k)) < 1e-5,
                "rank-" + k + " part off by " + relativeDistance(r.svd().truncate(k), a.rankK(k)));
    }

    @Test
    void aLowRankSignalUnderSmallNoiseKeepsItsOrthonormalVectors() {
        // Rank 30 (σ spread over two decades) plus noise 1e-5 of σ₁: the second block's new directions are
        // combinations of large columns cancelling to small ones, which a single Gram–Schmidt pass leaves 1e-4
        // away from orthogonal to the first block. The result must match LAPACK and its vectors stay orthonormal.
        Random rnd = new Random(41);
        int m = 300;
        int n = 120;
        int r = 30;
        double[] left = new double[m * r];
        double[] right = new double[r * n];
        for (int i = 0; i < left.length; i++) {
            left[i] = rnd.nextGaussian() * 10 * Math.pow(0.01, (i % r) / (double) (r - 1));
        }
        for (int i = 0; i < right.length; i++) {
            right[i] = rnd.nextGaussian();
        }
        float[] a = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = 1e-3 * rnd.nextGaussian();
                for (int c = 0; c < r; c++) {
                    v += left[i * r + c] * right[c * n + j];
                }
                a[i * n + j] = (float) v;
            }
        }
        int k = 10;
        TruncatedSvd.Result t = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT, "signal");
        assertFalse(t.exact());
        Svd exact = Svd.of(a, m, n, "signal");
        double error = relativeDistance(t.svd().truncate(k), exact.truncate(k));
        assertTrue(error < 1e-5, "rank-" + k + " part off by " + error);
        assertTrue(orthonormalityError(t.svd().u(), m, k, false) < 1e-5, "U is orthonormal");
        assertTrue(orthonormalityError(t.svd().vt(), n, k, true) < 1e-5, "V is orthonormal");
    }

    /** max |XᵀX − I| for the k columns of X (rows × k row-major, or k × rows when transposed). */
    private static double orthonormalityError(float[] x, int rows, int k, boolean transposed) {
        double worst = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += (double) (transposed ? x[a * rows + i] : x[i * k + a]) * (transposed ? x[b * rows + i] : x[i * k + b]);
                }
                worst = Math.max(worst, Math.abs(dot - (a == b ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void isDeterministic() {
        Known a = known(150, 70, geometric(70, 1, 0.9), 11);
        Svd first = TruncatedSvd.of(a.matrix(), 150, 70, 6, "d");
        Svd second = TruncatedSvd.of(a.matrix(), 150, 70, 6, "d");
        assertArrayEquals(first.u(), second.u());
        assertArrayEquals(first.s(), second.s());
        assertArrayEquals(first.vt(), second.vt());
    }


    @Test
    void everyMatrixOfOneShapeStartsFromTheSameDrawOfItsSeed() {
        long seed = TruncatedSvd.DEFAULT.seed();
        float[] drawn = KrylovBasis.gaussian(new Random(seed), 150, 16);
        float[] start = TruncatedSvd.start(seed, 150, 16);
        assertArrayEquals(drawn, start, "the first values of new Random(seed).nextGaussian()");
        TruncatedSvd.of(known(150, 70, geometric(70, 1, 0.9), 13).matrix(), 150, 70, 6, "uses the 150 × 16 start");
        assertTrue(start == TruncatedSvd.start(seed, 150, 16), "drawn once per shape and kept");
        assertArrayEquals(drawn, start, "a decomposition does not write into the kept start");
        assertArrayEquals(KrylovBasis.gaussian(new Random(seed), 151, 16), TruncatedSvd.start(seed, 151, 16), "another shape, its own draw");
        assertArrayEquals(KrylovBasis.gaussian(new Random(seed + 7), 150, 16), TruncatedSvd.start(seed + 7, 150, 16), "another seed, its own draw");
    }

    @Test
    void aThreadsReusedBuffersLeaveNoTraceFromTheLastMatrix() {
        Known a = known(150, 70, geometric(70, 1, 0.9), 11);
        Svd first = TruncatedSvd.of(a.matrix(), 150, 70, 6, "a");
        TruncatedSvd.of(known(90, 240, geometric(90, 2, 0.8), 12).matrix(), 90, 240, 9, "larger, wide");
        Svd again = TruncatedSvd.of(a.matrix(), 150, 70, 6, "a");
        Svd nested;
        try (KrylovScratch taken = KrylovScratch.acquire()) {
            nested = TruncatedSvd.of(a.matrix(), 150, 70, 6, "a, while this thread's buffers are taken");
        }
        for (Svd other : List.of(again, nested)) {
            assertArrayEquals(first.u(), other.u());
            assertArrayEquals(first.s(), other.s());
            assertArrayEquals(first.vt(), other.vt());
        }
    }
    @Test
    void theChangeMeasuredInTheBasisCoordinatesIsTheOneDefinedByTheVectors() {
        // The reported change of a run stopped after d blocks is the definition's measure between the estimates
        // after d - 1 and d blocks, computed from their vectors.
        int m = 180;
        int n = 140;
        float[] a = gaussianMatrix(21, m, n);
        int k = 12;
        for (int blocks = 2; blocks <= 4; blocks++) {
            TruncatedSvd.Result before = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT.withMaxBlocks(blocks - 1), "c");
            TruncatedSvd.Result after = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT.withMaxBlocks(blocks), "c");
            assertEquals(blocks, after.blocks());
            double byVectors = TruncatedSvd.change(before.svd(), after.svd());
            assertEquals(byVectors, after.change(), 1e-3 * byVectors + 1e-6, "after " + blocks + " blocks");
        }
    }

    @Test
    void itStopsAtTheFirstBlockWhoseChangeByTheVectorsIsWithinTheTolerance() {
        // The stopping rule, checked from outside: every earlier block's change, measured from the vectors of the
        // runs cut off there, exceeds the tolerance, the last one's does not, and the result is the one the run
        // cut off at that block gives.
        int m = 260;
        int n = 200;
        float[] a = gaussianMatrix(33, m, n);
        int k = 20;
        TruncatedSvd.Result stopped = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT, "flat");
        assertTrue(stopped.blocks() >= 4 && stopped.width() < n, "needs several blocks, stops early: " + stopped.blocks());
        Svd before = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT.withMaxBlocks(2), "flat").svd();
        for (int blocks = 3; blocks <= stopped.blocks(); blocks++) {
            Svd after = TruncatedSvd.run(a, m, n, k, TruncatedSvd.DEFAULT.withMaxBlocks(blocks), "flat").svd();
            double change = TruncatedSvd.change(before, after);
            if (blocks < stopped.blocks()) {
                assertTrue(change > 1.01 * TruncatedSvd.DEFAULT.tolerance(), "block " + blocks + " moved by " + change);
            } else {
                assertTrue(change < 0.99 * TruncatedSvd.DEFAULT.tolerance(), "the last block moved by " + change);
                assertArrayEquals(after.u(), stopped.svd().u());
                assertArrayEquals(after.s(), stopped.svd().s());
                assertArrayEquals(after.vt(), stopped.svd().vt());
            }
            before = after;
        }
    }

    @Test
    void withNoToleranceItGrowsToTheWholeSpaceAndIsTheExactDecomposition() {
        // min(m, n) = 30 is not a multiple of the block (16): the last block is the 14 columns left.
        Known a = known(70, 30, geometric(30, 1, 0.95), 29);
        int k = 5;
        TruncatedSvd.Settings never = new TruncatedSvd.Settings(16, 0.25, 0, Integer.MAX_VALUE, 7);
        TruncatedSvd.Result r = TruncatedSvd.run(a.matrix(), 70, 30, k, never, "whole");
        assertFalse(r.exact());
        assertEquals(2, r.blocks());
        assertEquals(30, r.width());
        assertTrue(relativeDistance(r.svd().truncate(k), a.rankK(k)) < 1e-5);
    }

    @Test
    void aTallMatrixAndItsTransposeGiveTransposedDecompositions() {
        Known a = known(150, 70, geometric(70, 1, 0.9), 23);
        float[] t = KrylovBasis.transpose(a.matrix(), 150, 70);
        int k = 7;
        Svd tall = TruncatedSvd.of(a.matrix(), 150, 70, k, "tall");
        Svd wide = TruncatedSvd.of(t, 70, 150, k, "wide");
        assertArrayEquals(tall.s(), wide.s(), 1e-6f);
        assertTrue(relativeDistance(KrylovBasis.transpose(wide.truncate(k), 70, 150), tall.truncate(k)) < 1e-6);
    }

    @Test
    void theChangeMeasureIsZeroForTheSameEstimateAndSeesARotatedDirection() {
        Known a = known(50, 40, geometric(40, 1, 0.8), 13);
        Svd d = TruncatedSvd.of(a.matrix(), 50, 40, 3, "c");
        assertEquals(0, TruncatedSvd.change(d, d), 1e-6);
        // Replace the third left vector by a direction tilted by angle θ: its weighted part outside is σ_3 sin θ.
        double theta = 0.01;
        float[] u = d.u().clone();
        for (int i = 0; i < 50; i++) {
            u[i * 3 + 2] = (float) (Math.cos(theta) * d.u()[i * 3 + 2] + Math.sin(theta) * a.u()[i * 40 + 5]);
        }
        Svd tilted = new Svd(50, 40, u, d.s(), d.vt());
        double expected = d.s()[2] * Math.sin(theta) / Math.sqrt(sq(d.s()[0]) + sq(d.s()[1]) + sq(d.s()[2]));
        assertEquals(expected, TruncatedSvd.change(tilted, d), 0.02 * expected);
    }

    private static double sq(double x) {
        return x * x;
    }

    @Test
    void theRankMustFitTheMatrix() {
        assertThrows(TauLabException.class, () -> TruncatedSvd.of(new float[12], 3, 4, 4, "x"));
    }

    @Test
    void aTruncatedDecompositionRefusesAHigherRank() {
        Known a = known(30, 20, geometric(20, 1, 0.8), 17);
        Svd d = TruncatedSvd.of(a.matrix(), 30, 20, 4, "t");
        assertThrows(IllegalStateException.class, () -> d.truncate(5));
        assertEquals(d.truncate(4).length, 600);
    }

    @Test
    void choiceSpellingsAndTheAutoRule() {
        assertEquals(SvdChoice.EXACT, SvdChoice.parse("exact"));
        assertEquals(SvdChoice.TRUNCATED, SvdChoice.parse(" Truncated "));
        assertEquals(SvdChoice.AUTO, SvdChoice.parse("auto"));
        TauLabException bad = assertThrows(TauLabException.class, () -> SvdChoice.parse("fast"));
        assertEquals("svd 'fast' is not one of exact, truncated, auto", bad.getMessage());
        // CART at 8 % of a ViT-B/32 matrix: k = 61, block 16, 4·(61 + 16) ≤ 768.
        assertTrue(SvdChoice.AUTO.truncates(61, 3072, 768));
        // Iso-CTS's common subspace (80 % of the rank) and a rank of 200 (block 50, 4·250 > 768): the full SVD.
        assertFalse(SvdChoice.AUTO.truncates(614, 768, 768));
        assertFalse(SvdChoice.AUTO.truncates(200, 3072, 768));
        assertTrue(SvdChoice.TRUNCATED.truncates(200, 3072, 768));
        assertFalse(SvdChoice.TRUNCATED.truncates(768, 3072, 768), "nothing to truncate at the full rank");
        assertFalse(SvdChoice.EXACT.truncates(1, 3072, 768));
    }

    /** An m × n matrix of independent standard Gaussian entries from {@code new Random(seed)}. */
    private static float[] gaussianMatrix(long seed, int m, int n) {
        Random rnd = new Random(seed);
        float[] a = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
