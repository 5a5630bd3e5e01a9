import static org.bytedeco.openblas.global.openblas.LAPACKE_sgesvdx;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.taulab.dsl.io.SafetensorsFile;
import org.taulab.dsl.linalg.Blas;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.TruncatedSvd;

/**
 * The leading-k decompositions TauLab could use for one CART matrix, single-threaded, on the matrices CART
 * decomposes at ViT-B/32 shapes: nu_1 = theta_1 - mean_t theta_t of one residual block's four weight matrices
 * (bench/out/vitb32, bench/gen_vitb32.py), k = 8 % of min(m, n). Each is timed as the median of R runs after
 * two warm-ups, and its rank-k part compared with sgesdd's (relative Frobenius distance):
 *   sgesdd      LAPACK's full divide-and-conquer SVD (TauLab's --svd exact)
 *   sgesvdx     LAPACK's partial SVD, range 'I' = the top k (bidiagonal reduction of the whole matrix, then
 *               bisection and inverse iteration for k values)
 *   krylov      TruncatedSvd (TauLab's --svd truncated / auto here): randomized block Krylov
 *   subspace    randomized subspace iteration with the same products and stopping rule (l = 2k columns, the
 *               estimate from each pass's Rayleigh-Ritz step), for comparison: TruncatedSvd's earlier method
 * With a fourth argument, a comma-separated list of stopping tolerances (and optionally a fifth, of minimum block
 * sizes; TruncatedSvd's default otherwise), it times only krylov, once per setting, and gives for each its Krylov
 * blocks, width and the rank-k part's distance from sgesdd's in two measures: relative Frobenius, and
 * max|difference| / max|rank-k part| (what a merge's delta would carry).
 * Usage: java ... SvdKernels DATA_DIR LAYER REPS [TOLERANCES [BLOCKS]]
 */
public final class SvdKernels {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int layer = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        Blas.init();
        List<SafetensorsFile> fts = new ArrayList<>();
        for (int t = 1; t <= 8; t++) {
            fts.add(SafetensorsFile.open(dir.resolve("ft" + t + ".safetensors")));
        }
        String p = "transformer.resblocks." + layer + ".";
        String[] names = {p + "mlp.c_fc.weight", p + "mlp.c_proj.weight", p + "attn.in_proj_weight", p + "attn.out_proj.weight"};
        if (args.length > 3) {
            settingsSweep(fts, names, reps, args[3], args.length > 4 ? args[4] : String.valueOf(TruncatedSvd.DEFAULT.minimumBlock()));
            return;
        }
        System.out.printf("%-45s %8s %4s | %9s | %9s %8s | %9s %8s %6s %6s | %9s %8s %6s%n", "matrix (nu_1, k = 8 %)", "shape", "k",
                "sgesdd ms", "gesvdx ms", "dist", "krylov ms", "dist", "blocks", "width", "subsp ms", "dist", "passes");
        for (String name : names) {
            Nu matrix = nu(fts, name);
            int m = matrix.m();
            int n = matrix.n();
            int k = matrix.k();
            float[] nu = matrix.values();
            Svd exact = Svd.of(nu, m, n, name);
            float[] reference = exact.truncate(k);
            double tExact = median(reps, () -> Svd.of(nu, m, n, name));
            float[][] x = new float[1][];
            double tX = median(reps, () -> x[0] = gesvdx(nu, m, n, k));
            TruncatedSvd.Result[] kr = new TruncatedSvd.Result[1];
            double tK = median(reps, () -> kr[0] = TruncatedSvd.run(nu, m, n, k, TruncatedSvd.DEFAULT, name));
            int[] passes = new int[1];
            float[][] sub = new float[1][];
            double tS = median(reps, () -> sub[0] = SubspaceIteration.rankK(nu, m, n, k, 2 * k, 1e-4, 40, passes));
            System.out.printf("%-45s %8s %4d | %9.1f | %9.1f %8.1e | %9.1f %8.1e %6d %6d | %9.1f %8.1e %6d%n",
                    name, m + "x" + n, k, tExact, tX, distance(x[0], reference), tK,
                    distance(kr[0].svd().truncate(k), reference), kr[0].blocks(), kr[0].width(), tS,
                    distance(sub[0], reference), passes[0]);
        }
    }

    static void settingsSweep(List<SafetensorsFile> fts, String[] names, int reps, String tolerances, String blocks) throws Exception {
        System.out.printf("%-45s %8s %4s %8s %5s | %9s %6s %6s %9s %9s%n", "matrix (nu_1, k = 8 %)", "shape", "k", "tol", "b min",
                "krylov ms", "blocks", "width", "dist", "max/max");
        for (String name : names) {
            Nu matrix = nu(fts, name);
            int m = matrix.m();
            int n = matrix.n();
            int k = matrix.k();
            float[] nu = matrix.values();
            float[] reference = Svd.of(nu, m, n, name).truncate(k);
            for (String t : tolerances.split(",")) {
                for (String b : blocks.split(",")) {
                    TruncatedSvd.Settings d = TruncatedSvd.DEFAULT;
                    TruncatedSvd.Settings settings = new TruncatedSvd.Settings(Integer.parseInt(b), d.blockFraction(),
                            Double.parseDouble(t), d.maxBlocks(), d.seed());
                    TruncatedSvd.Result[] kr = new TruncatedSvd.Result[1];
                    double ms = median(reps, () -> kr[0] = TruncatedSvd.run(nu, m, n, k, settings, name));
                    float[] got = kr[0].svd().truncate(k);
                    System.out.printf("%-45s %8s %4d %8s %5s | %9.1f %6d %6d %9.1e %9.1e%n", name, m + "x" + n, k, t, b, ms,
                            kr[0].blocks(), kr[0].width(), distance(got, reference), maxRelative(got, reference));
                }
            }
        }
    }

    /** nu_1 of one matrix, with its shape and CART's rank k = 8 % of min(m, n). */
    record Nu(int m, int n, int k, float[] values) {
    }

    static Nu nu(List<SafetensorsFile> fts, String name) throws Exception {
        long[] shape = fts.get(0).info(name).shape();
        int m = (int) shape[0];
        int n = (int) shape[1];
        return new Nu(m, n, Svd.rankFor(0.08, m, n), difference(fts, name, m * n));
    }

    static float[] difference(List<SafetensorsFile> fts, String name, int size) {
        double[] mean = new double[size];
        float[] first = null;
        for (SafetensorsFile f : fts) {
            ByteBuffer b = ByteBuffer.allocate(f.byteLength(name));
            f.read(name, b);   // position 0, limit = the tensor's bytes
            float[] v = new float[size];
            b.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            if (first == null) {
                first = v;
            }
            for (int i = 0; i < size; i++) {
                mean[i] += v[i] / (double) fts.size();
            }
        }
        float[] nu = new float[size];
        for (int i = 0; i < size; i++) {
            nu[i] = (float) (first[i] - mean[i]);
        }
        return nu;
    }

    /** The rank-k part from LAPACK's sgesvdx (top k by index). */
    static float[] gesvdx(float[] a, int m, int n, int k) {
        float[] s = new float[Math.min(m, n)];
        float[] u = new float[m * k];
        float[] vt = new float[k * n];
        int[] found = new int[1];
        int[] support = new int[12 * Math.min(m, n)];
        int info = LAPACKE_sgesvdx(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'V', (byte) 'I', m, n, a.clone(), n, 0f, 0f, 1, k,
                found, s, u, k, vt, n, support);
        if (info != 0 || found[0] != k) {
            throw new IllegalStateException("sgesvdx info " + info);
        }
        return new Svd(m, n, u, Arrays.copyOf(s, k), vt).truncate(k);
    }

    /**
     * Randomized subspace iteration (Halko, Martinsson and Tropp 2011, Algorithms 4.4 and 5.1): l columns,
     * Q = orth(A Omega), then per pass B^T = A^T Q, its small SVD W S Z^T, the rank-k estimate (Q Z) S W^T, and
     * Q = orth(A W); it stops when the rank-k estimate moves by at most tol (relative Frobenius) between passes.
     */
    static final class SubspaceIteration {
        static float[] rankK(float[] a, int m, int n, int k, int l, double tol, int maxPasses, int[] passes) {
            java.util.Random random = new java.util.Random(20250101L);
            float[] omega = new float[n * l];
            for (int i = 0; i < omega.length; i++) {
                omega[i] = (float) random.nextGaussian();
            }
            float[] q = multiply(a, m, n, omega, l, false);
            orthonormalize(q, m, l);
            float[] previous = null;
            for (int pass = 1; ; pass++) {
                float[] bt = multiply(a, m, n, q, l, true);        // n x l
                Svd small = Svd.of(bt, n, l, "bt");               // B^T = W S Z^T
                float[] u = new float[m * l];                      // Q Z
                org.bytedeco.openblas.global.openblas.cblas_sgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                        org.bytedeco.openblas.global.openblas.CblasNoTrans, org.bytedeco.openblas.global.openblas.CblasTrans,
                        m, l, l, 1f, q, l, small.vt(), l, 0f, u, l);
                float[] vt = new float[l * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        vt[j * n + i] = small.u()[i * l + j];
                    }
                }
                float[] current = new Svd(m, n, u, small.s(), vt).truncate(k);
                if (previous != null && distance(previous, current) <= tol || pass >= maxPasses) {
                    passes[0] = pass;
                    return current;
                }
                previous = current;
                q = multiply(a, m, n, small.u(), l, false);
                orthonormalize(q, m, l);
            }
        }

        private static float[] multiply(float[] a, int m, int n, float[] x, int c, boolean transposeA) {
            float[] out = new float[(transposeA ? n : m) * c];
            org.bytedeco.openblas.global.openblas.cblas_sgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                    transposeA ? org.bytedeco.openblas.global.openblas.CblasTrans : org.bytedeco.openblas.global.openblas.CblasNoTrans,
                    org.bytedeco.openblas.global.openblas.CblasNoTrans, transposeA ? n : m, c, transposeA ? m : n, 1f,
                    a, n, x, c, 0f, out, c);
            return out;
        }

        private static void orthonormalize(float[] y, int m, int l) {
            float[] tau = new float[l];
            org.bytedeco.openblas.global.openblas.LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, m, l, y, l, tau);
            org.bytedeco.openblas.global.openblas.LAPACKE_sorgqr(LAPACK_ROW_MAJOR, m, l, l, y, l, tau);
        }
    }

    /** max|a - b| / max|b|. */
    static double maxRelative(float[] a, float[] b) {
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            largest = Math.max(largest, Math.abs(b[i]));
        }
        return worst / largest;
    }

    static double distance(float[] a, float[] b) {
        double d = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            nb += (double) b[i] * b[i];
        }
        return Math.sqrt(d / nb);
    }

    static double median(int reps, Runnable r) {
        r.run();
        r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
