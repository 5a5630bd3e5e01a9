package org.taulab.dsl.linalg;

import java.util.Arrays;

/**
 * An independent reference for tests: singular values by one-sided Jacobi rotations in double
 * precision (Hestenes), sharing no code with the LAPACK path.
 */
final class JacobiSvd {
    private JacobiSvd() {
    }

    static double[] singularValues(float[] a, int m, int n) {
        boolean transpose = n > m;
        int rows = transpose ? n : m;
        int cols = transpose ? m : n;
        double[][] col = new double[cols][rows];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (transpose) {
                    col[i][j] = a[i * n + j];
                } else {
                    col[j][i] = a[i * n + j];
                }
            }
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            for (int p = 0; p < cols; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = dot(col[p], col[p]);
                    double beta = dot(col[q], col[q]);
                    double gamma = dot(col[p], col[q]);
                    if (Math.abs(gamma) < 1e-300) {
                        continue;
                    }
                    off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    for (int i = 0; i < rows; i++) {
                        double x = col[p][i];
                        double y = col[q][i];
                        col[p][i] = c * x - s * y;
                        col[q][i] = s * x + c * y;
                    }
                }
            }
            if (off < 1e-15) {
                break;
            }
        }
        double[] sv = new double[cols];
        for (int j = 0; j < cols; j++) {
            sv[j] = Math.sqrt(dot(col[j], col[j]));
        }
        Arrays.sort(sv);
        double[] desc = new double[cols];
        for (int j = 0; j < cols; j++) {
            desc[j] = sv[cols - 1 - j];
        }
        return desc;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
