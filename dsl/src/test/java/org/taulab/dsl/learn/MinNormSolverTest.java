package org.taulab.dsl.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MinNormSolverTest {
    private static double[][] gram(double[][] g) {
        double[][] out = new double[g.length][g.length];
        for (int a = 0; a < g.length; a++) {
            for (int b = 0; b < g.length; b++) {
                for (int k = 0; k < g[a].length; k++) {
                    out[a][b] += g[a][k] * g[b][k];
                }
            }
        }
        return out;
    }

    @Test
    void twoOrthogonalUnitGradientsMeetHalfway() {
        // min over w of ‖w(1,0) + (1−w)(0,1)‖² = w² + (1−w)²: w = 1/2, norm² 1/2.
        double[][] g = gram(new double[][] {{1, 0}, {0, 1}});
        double[] w = MinNormSolver.solve(g);
        assertArrayEquals(new double[] {0.5, 0.5}, w, 1e-9);
        assertEquals(0.5, MinNormSolver.squaredNorm(g, w), 1e-12);
    }

    @Test
    void twoGradientsWithUnequalNormsByHand() {
        // g1 = (2,0), g2 = (0,1): ‖(2w, 1−w)‖² = 4w² + (1−w)², minimum at w = 1/5, norm² 4/25 + 16/25 = 4/5.
        double[][] g = gram(new double[][] {{2, 0}, {0, 1}});
        double[] w = MinNormSolver.solve(g);
        assertArrayEquals(new double[] {0.2, 0.8}, w, 1e-9);
        assertEquals(0.8, MinNormSolver.squaredNorm(g, w), 1e-12);
    }

    @Test
    void alignedGradientsPickTheShorterOne() {
        // g1 = (1,0), g2 = (3,0): the hull is the segment [1,3] on the axis; its closest point to 0 is g1.
        double[] w = MinNormSolver.solve(gram(new double[][] {{1, 0}, {3, 0}}));
        assertArrayEquals(new double[] {1, 0}, w, 1e-9);
    }

    @Test
    void opposingGradientsCancel() {
        // g1 = (1,1), g2 = (−2,−2): w·1 + (1−w)(−2) = 0 at w = 2/3; the combination is the zero vector.
        double[][] g = gram(new double[][] {{1, 1}, {-2, -2}});
        double[] w = MinNormSolver.solve(g);
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, w, 1e-9);
        assertEquals(0, MinNormSolver.squaredNorm(g, w), 1e-12);
    }

    @Test
    void threeTasksWhereOneIsDominated() {
        // (1,0), (0,1), (1,1): the hull's closest point to 0 is (1/2, 1/2) on the first edge; the third gets no weight.
        double[][] g = gram(new double[][] {{1, 0}, {0, 1}, {1, 1}});
        double[] w = MinNormSolver.solve(g);
        assertEquals(0.5, MinNormSolver.squaredNorm(g, w), 1e-6);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, w, 1e-3);
    }

    @Test
    void threeTasksInTheInteriorByHand() {
        // e1, e2, e3 in 3-D: the simplex's closest point to 0 is its centroid, w = 1/3 each, norm² 1/3.
        double[][] g = gram(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        double[] w = MinNormSolver.solve(g);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, w, 1e-9);
        assertEquals(1.0 / 3, MinNormSolver.squaredNorm(g, w), 1e-12);
    }

    @Test
    void oneTaskGetsAllTheWeight() {
        assertArrayEquals(new double[] {1}, MinNormSolver.solve(new double[][] {{4}}), 0);
    }
}
