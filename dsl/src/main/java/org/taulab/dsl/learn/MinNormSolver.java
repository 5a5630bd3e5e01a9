package org.taulab.dsl.learn;

/**
 * The min-norm point of the convex hull of task gradients (MGDA, Désidéri 2012), by Frank–Wolfe as in
 * Sener and Koltun (2018): {@code w = argmin_{w ∈ simplex} ‖Σ_t w_t g_t‖²}, computed from the Gram matrix
 * {@code G[s][t] = ⟨g_s, g_t⟩} alone. Steps are pairwise (weight moves from the worst active gradient to the
 * best one, with exact line search), which converges linearly on the simplex where plain Frank–Wolfe zigzags.
 */
public final class MinNormSolver {
    private static final int MAX_ITERATIONS = 10_000;
    private static final double TOLERANCE = 1e-12;

    private MinNormSolver() {
    }

    /** The weights {@code w} (non-negative, summing to 1). */
    public static double[] solve(double[][] gram) {
        int n = gram.length;
        if (n == 0) {
            throw new IllegalArgumentException("min-norm solver: no gradients");
        }
        double[] w = new double[n];
        if (n == 1) {
            w[0] = 1;
            return w;
        }
        java.util.Arrays.fill(w, 1.0 / n);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] gw = times(gram, w);
            int toward = 0;
            int away = -1;
            for (int t = 0; t < n; t++) {
                if (gw[t] < gw[toward]) {
                    toward = t;
                }
                if (w[t] > 0 && (away < 0 || gw[t] > gw[away])) {
                    away = t;
                }
            }
            double gap = gw[away] - gw[toward];
            if (gap <= TOLERANCE * Math.max(1e-30, Math.abs(dot(w, gw)) + gram[toward][toward])) {
                break;
            }
            // Exact line search along e_toward − e_away, at most all of the away vertex's weight.
            double curvature = gram[toward][toward] - 2 * gram[toward][away] + gram[away][away];
            double gamma = curvature <= 0 ? w[away] : Math.min(w[away], gap / curvature);
            w[toward] += gamma;
            w[away] -= gamma;
        }
        return w;
    }

    /** {@code ‖Σ_t w_t g_t‖²} for weights {@code w}. */
    public static double squaredNorm(double[][] gram, double[] w) {
        return dot(w, times(gram, w));
    }

    private static double[] times(double[][] gram, double[] w) {
        double[] out = new double[w.length];
        for (int s = 0; s < w.length; s++) {
            for (int t = 0; t < w.length; t++) {
                out[s] += gram[s][t] * w[t];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
