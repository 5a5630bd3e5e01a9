package org.taulab.dsl.merge;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.linalg.Blas;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.Weights;

/**
 * WUDI-merging (Cheng et al., ICML 2025), data-free: at each selected matrix, the merged vector minimizing the
 * interference each task vector's own rows (standing in for that task's inputs) see,
 * {@code L(τ_m) = Σ_t ‖(τ_m − τ_t) τ_tᵀ‖²_F / ‖τ_t‖²_F}, from {@code τ_m = Σ_t τ_t}: by default the paper's descent,
 * Adam (β 0.9, 0.999) at lr 1e-5 for 300 steps on the exact gradient {@code 2(τ_m G − X)} with
 * {@code G = Σ_t w_t τ_tᵀ τ_t}, {@code X = Σ_t w_t τ_t τ_tᵀ τ_t}, {@code w_t = 1/‖τ_t‖²}; with {@code exact} the
 * minimizer nearest the start in closed form, {@code τ_m = X G⁺ + τ_0 (I − G G⁺)} (eigenvalues of G below 1e-10 of
 * the largest count as zero). Every other float tensor takes the mean τ_t. {@code θ = θ_pre + λ τ_m}, λ = 1 in the
 * paper. The descent costs about 2·m·n² flops per step and matrix (minutes per ViT-B/32 layer on one core); the
 * closed form one n × n eigendecomposition.
 */
public record WudiMerge(double lambda, int steps, double lr, boolean exact, Selector selector) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("wudi").needsBase().order(152)
            .summary("per selected matrix the τ_m minimizing Σ_t ‖(τ_m − τ_t) τ_tᵀ‖² / ‖τ_t‖² from Σ τ_t (Adam descent, or --exact closed form); elsewhere the mean τ_t; θ_pre + λ·τ_m")
            .source("Cheng et al. 2025, Whoever started the interference should end it: guiding data-free model merging via task vectors (WUDI)")
            .param(ParamSpec.lambda(1.0))
            .param(ParamSpec.integer("steps", 300, 0, 1_000_000, "Adam steps of the descent (the paper's 300)"))
            .param(ParamSpec.number("lr", 1e-5, 0, 1, "Adam learning rate of the descent (the paper's 1e-5)"))
            .param(ParamSpec.flag("exact", "the closed-form minimizer nearest Σ τ_t instead of the descent"))
            .param(LowRankStep.SELECT)
            .build(v -> new WudiMerge(v.number("lambda"), v.integer("steps"), v.number("lr"), v.flag("exact"), v.selector("select")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("steps", steps);
        p.put("lr", lr);
        p.put("exact", exact);
        p.put("select", selector);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        return MatrixDelta.merge(this, in, selector, lambda, (name, taus, rows, cols) -> {
            Problem p = Problem.of(taus, rows, cols);
            return exact ? p.closedForm(name) : p.descend(steps, lr);
        });
    }

    /** The quadratic of one rows × cols matrix: its start Σ τ_t, G (cols × cols) and X (rows × cols). */
    record Problem(int rows, int cols, float[] start, float[] g, float[] x) {
        static Problem of(float[][] taus, int rows, int cols) {
            Blas.init();
            float[] start = new float[rows * cols];
            float[] g = new float[cols * cols];
            float[] x = new float[rows * cols];
            for (float[] tau : taus) {
                double norm = 0;
                for (int i = 0; i < tau.length; i++) {
                    start[i] += tau[i];
                    norm += (double) tau[i] * tau[i];
                }
                if (norm == 0) {
                    continue;
                }
                float w = (float) (1 / norm);
                float[] gram = new float[cols * cols];
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, cols, cols, rows, 1f, tau, cols, tau, cols, 0f, gram, cols);
                for (int i = 0; i < gram.length; i++) {
                    g[i] += w * gram[i];
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, cols, cols, w, tau, cols, gram, cols, 1f, x, cols);
            }
            return new Problem(rows, cols, start, g, x);
        }

        /** {@code L(τ)} up to the constant Σ_t w_t ‖τ_t τ_tᵀ‖², i.e. {@code tr(τ G τᵀ) − 2 tr(X τᵀ)}. */
        double loss(float[] tau) {
            float[] tg = times(tau);
            double l = 0;
            for (int i = 0; i < tau.length; i++) {
                l += (double) tau[i] * tg[i] - 2.0 * x[i] * tau[i];
            }
            return l;
        }

        private float[] times(float[] tau) {
            float[] out = new float[rows * cols];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, cols, cols, 1f, tau, cols, g, cols, 0f, out, cols);
            return out;
        }

        /** Adam on the exact gradient {@code 2(τ G − X)} from the start. */
        float[] descend(int steps, double lr) {
            float[] tau = start.clone();
            double[] m1 = new double[tau.length];
            double[] m2 = new double[tau.length];
            double b1 = 0.9;
            double b2 = 0.999;
            for (int s = 1; s <= steps; s++) {
                float[] tg = times(tau);
                double c1 = 1 - Math.pow(b1, s);
                double c2 = 1 - Math.pow(b2, s);
                for (int i = 0; i < tau.length; i++) {
                    double grad = 2.0 * (tg[i] - x[i]);
                    m1[i] = b1 * m1[i] + (1 - b1) * grad;
                    m2[i] = b2 * m2[i] + (1 - b2) * grad * grad;
                    tau[i] -= (float) (lr * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + 1e-8));
                }
            }
            return tau;
        }

        /** {@code X G⁺ + τ_0 (I − G G⁺)}: the minimizer nearest the start, through G's eigendecomposition. */
        float[] closedForm(String name) {
            int n = cols;
            double[] q = new double[n * n];
            for (int i = 0; i < q.length; i++) {
                q[i] = g[i];
            }
            double[] eig = new double[n];
            int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, q, n, eig);
            if (info != 0) {
                throw new TauLabException("eigendecomposition of tensor '" + name + "' failed (LAPACK dsyevd info=" + info + ")");
            }
            double largest = 0;
            for (double e : eig) {
                largest = Math.max(largest, Math.abs(e));
            }
            double[] xd = new double[rows * n];
            double[] sd = new double[rows * n];
            for (int i = 0; i < xd.length; i++) {
                xd[i] = x[i];
                sd[i] = start[i];
            }
            double[] xq = new double[rows * n];
            double[] sq = new double[rows * n];
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, n, n, 1, xd, n, q, n, 0, xq, n);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, n, n, 1, sd, n, q, n, 0, sq, n);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    boolean range = eig[j] > 1e-10 * largest;
                    xq[i * n + j] = range ? xq[i * n + j] / eig[j] - sq[i * n + j] : 0;
                }
            }
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n, n, 1, xq, n, q, n, 1, sd, n);
            float[] out = new float[rows * n];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) sd[i];
            }
            return out;
        }
    }
}
