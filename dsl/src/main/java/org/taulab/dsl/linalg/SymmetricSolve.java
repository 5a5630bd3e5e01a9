package org.taulab.dsl.linalg;

import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dposv;

import org.taulab.dsl.TauLabException;

/** Solves {@code X A = B} for a symmetric positive-definite n × n A (Cholesky), B and X being m × n, row-major. */
public final class SymmetricSolve {
    private SymmetricSolve() {
    }

    public static double[] rightDivide(double[] b, double[] a, int m, int n, String name) {
        Blas.init();
        double[] factor = a.clone();
        // X A = B  ⇔  A Xᵀ = Bᵀ (A symmetric)
        double[] xt = new double[n * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                xt[j * m + i] = b[i * n + j];
            }
        }
        int info = LAPACKE_dposv(LAPACK_ROW_MAJOR, (byte) 'U', n, m, factor, n, xt, m);
        if (info != 0) {
            throw new TauLabException("tensor '" + name + "': its input Gram matrix is not positive definite (LAPACK dposv info=" + info + ")");
        }
        double[] x = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                x[i * n + j] = xt[j * m + i];
            }
        }
        return x;
    }
}
