package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.Tau;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeMethod;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import org.taulab.kernel.tau.TauFunctions;

/**
 * Every merge of the catalogue, with non-default parameters, through every front door (the command line, the
 * {@code %%tau} function, the Java facade), against an expectation computed here independently of the merge code:
 * element-wise merges by a plain loop over their definition, SVD-based ones on diagonal matrices, whose truncated
 * SVD keeps the largest |diagonal entries| (hand-derivable). A catalogue entry without a case here fails the test.
 */
class EveryMergeEveryFrontDoorTest {
    static final String ATTN = "blocks.0.attn.w";
    static final String BIAS = "blocks.0.bias";
    // θ_pre and three fine-tuned models: a diagonal 2×2 attention matrix (selected by the default selector), a bias,
    // and an integer buffer. Magnitudes of every τ_t differ, so top-k trimming has no ties.
    static final double[] PRE_DIAG = {1, 1};
    static final double[] PRE_BIAS = {0.5, -0.5};
    static final double[][] FT_DIAG = {{6, 1.5}, {3, 0.2}, {3.1, 6}};
    static final double[][] FT_BIAS = {{1.25, 1.5}, {3.5, 1.0}, {-1.5, 4.0}};

    @TempDir
    static Path dir;
    static Path pre;
    static List<Path> fts = new ArrayList<>();

    /** One merge with its parameters (by catalogue name) and the expected θ: attention diagonal, then bias. */
    record Case(String method, Map<String, Object> params, int[] models, BiFunction<double[][], double[][], double[]> expected) {
        Case(String method, Map<String, Object> params, BiFunction<double[][], double[][], double[]> expected) {
            this(method, params, new int[] {0, 1, 2}, expected);
        }

        double[][] pick(double[][] all) {
            double[][] out = new double[models.length][];
            for (int i = 0; i < models.length; i++) {
                out[i] = all[models[i]];
            }
            return out;
        }

        @Override
        public String toString() {
            return method + " " + params + " of models " + java.util.Arrays.toString(models);
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("average", Map.of(), (d, b) -> concat(mean(d), mean(b))));
        c.add(new Case("task-arithmetic", Map.of("lambda", 0.5), (d, b) -> concat(ta(PRE_DIAG, d, 0.5), ta(PRE_BIAS, b, 0.5))));
        c.add(new Case("task-arithmetic", Map.of("lambda", 0.25, "negate", true), (d, b) -> concat(ta(PRE_DIAG, d, -0.25), ta(PRE_BIAS, b, -0.25))));
        c.add(new Case("ties", Map.of("topk", 0.5, "lambda", 0.7), (d, b) -> ties(d, b, 0.5, 0.7)));
        // LiNeS on TIES: the checkpoint has one block (block 0), which takes α
        c.add(new Case("ties", Map.of("topk", 0.5, "lambda", 0.7, "lines_alpha", 0.5, "lines_beta", 2.0), (d, b) -> ties(d, b, 0.5, 0.35)));
        c.add(new Case("consensus", Map.of("lambda", 0.4, "tall_lambda", 0.25, "min_agree", 3), (d, b) -> consensus(d, b, 0.4, 0.25, 3)));
        // rank 1.0 keeps both singular values (k = 2, unlike the default's k = 1): the centered vectors sum to zero
        c.add(new Case("cart", Map.of("rank", 1.0, "lambda", 0.9), (d, b) -> {
            double[] avg = mean(d);
            double[] low = new double[2];
            for (double[] ft : d) {
                double[] nu = {ft[0] - avg[0], ft[1] - avg[1]};
                add(low, truncate(nu, 2), 0.9);
            }
            return concat(new double[] {avg[0] + low[0], avg[1] + low[1]}, mean(b));
        }));
        c.add(new Case("lowrank-ta", Map.of("rank", 0.5, "lambda", 0.5), (d, b) -> {
            double[] theta = PRE_DIAG.clone();
            for (double[] ft : d) {
                add(theta, truncate(new double[] {ft[0] - PRE_DIAG[0], ft[1] - PRE_DIAG[1]}, 1), 0.5);
            }
            return concat(theta, ta(PRE_BIAS, b, 0.5));
        }));
        // Two models whose largest |τ| entries lie on different axes: k = floor(2 / 2) = 1 triplet each, σ on that axis;
        // the stacked singular vectors are then orthonormal already, so Δ_ii is the signed top entry on axis i.
        c.add(new Case("tsvm", Map.of("lambda", 0.8), new int[] {0, 2}, (d, b) -> {
            double[] sum = new double[2];
            int[] count = new int[2];
            for (double[] ft : d) {
                double[] tau = {ft[0] - PRE_DIAG[0], ft[1] - PRE_DIAG[1]};
                int axis = Math.abs(tau[0]) >= Math.abs(tau[1]) ? 0 : 1;
                sum[axis] += tau[axis];
                count[axis]++;
            }
            double[] theta = PRE_DIAG.clone();
            for (int i = 0; i < 2; i++) {
                theta[i] += 0.8 * sum[i] / count[i];
            }
            double[] bias = PRE_BIAS.clone();
            for (double[] ft : b) {
                for (int i = 0; i < 2; i++) {
                    bias[i] += 0.8 * (ft[i] - PRE_BIAS[i]) / b.length;
                }
            }
            return concat(theta, bias);
        }));
        c.add(new Case("magmax", Map.of("lambda", 0.7), (d, b) -> {
            double[] theta = preEntries();
            for (int i = 0; i < 6; i++) {
                double best = 0;
                for (int t = 0; t < d.length; t++) {
                    double x = tauEntries(PRE_DIAG, PRE_BIAS, d[t], b[t])[i];
                    best = Math.abs(x) > Math.abs(best) ? x : best;
                }
                theta[i] += 0.7 * best;
            }
            return new double[] {theta[0], theta[3], theta[4], theta[5]};
        }));
        c.add(new Case("model-stock", Map.of(), (d, b) -> {
            double[] attn = modelStock(PRE_DIAG, d);
            double[] bias = modelStock(PRE_BIAS, b);
            return concat(attn, bias);
        }));
        c.add(new Case("slerp", Map.of("t", 0.3), new int[] {0, 1}, (d, b) -> concat(slerp(d[0], d[1], 0.3), slerp(b[0], b[1], 0.3))));
        // with no drops DARE is task arithmetic and DARE-TIES is TIES keeping every entry (the default p = 0.5 would differ)
        c.add(new Case("dare", Map.of("drop", 0.0, "lambda", 0.5), (d, b) -> concat(ta(PRE_DIAG, d, 0.5), ta(PRE_BIAS, b, 0.5))));
        c.add(new Case("dare-ties", Map.of("drop", 0.0, "lambda", 0.7), (d, b) -> ties(d, b, 1.0, 0.7)));
        // Iso-C on a diagonal sum: U Vᵀ = diag(sign), σ̄ = mean |diagonal|; the bias takes the mean τ
        c.add(new Case("iso-c", Map.of("lambda", 0.6), (d, b) -> {
            double[] sum = new double[2];
            for (double[] ft : d) {
                sum[0] += ft[0] - PRE_DIAG[0];
                sum[1] += ft[1] - PRE_DIAG[1];
            }
            double mean = (Math.abs(sum[0]) + Math.abs(sum[1])) / 2;
            double[] attn = {PRE_DIAG[0] + 0.6 * mean * Math.signum(sum[0]), PRE_DIAG[1] + 0.6 * mean * Math.signum(sum[1])};
            double[] bias = PRE_BIAS.clone();
            for (double[] ft : b) {
                bias[0] += 0.6 * (ft[0] - PRE_BIAS[0]) / b.length;
                bias[1] += 0.6 * (ft[1] - PRE_BIAS[1]) / b.length;
            }
            return concat(attn, bias);
        }));
        // Iso-CTS of models 1 and 3 at c = 0.5: r = 2 leaves k = 0 common and one direction per task, each τ_t's top
        // diagonal entry (5 on axis 0 and 5 on axis 1); they are orthonormal already, σ̄ = 5, so Δ = 5·I; the bias takes the mean τ
        c.add(new Case("iso-cts", Map.of("lambda", 0.6, "common", 0.5), new int[] {0, 2}, (d, b) -> {
            double[] attn = {PRE_DIAG[0] + 0.6 * 5, PRE_DIAG[1] + 0.6 * 5};
            double[] bias = PRE_BIAS.clone();
            for (double[] ft : b) {
                bias[0] += 0.6 * (ft[0] - PRE_BIAS[0]) / b.length;
                bias[1] += 0.6 * (ft[1] - PRE_BIAS[1]) / b.length;
            }
            return concat(attn, bias);
        }));
        // WUDI's closed form on diagonal τ_t: G and X are diagonal, so τ_m,ii = Σ_t w_t τ_t,i³ / Σ_t w_t τ_t,i² with
        // w_t = 1/‖τ_t‖² over the matrix; the bias takes the mean τ
        c.add(new Case("wudi", Map.of("exact", true, "lambda", 0.8), (d, b) -> {
            double[] x = new double[2];
            double[] g = new double[2];
            for (double[] ft : d) {
                double[] tau = {ft[0] - PRE_DIAG[0], ft[1] - PRE_DIAG[1]};
                double w = 1 / (tau[0] * tau[0] + tau[1] * tau[1]);
                for (int i = 0; i < 2; i++) {
                    x[i] += w * tau[i] * tau[i] * tau[i];
                    g[i] += w * tau[i] * tau[i];
                }
            }
            return concat(new double[] {PRE_DIAG[0] + 0.8 * x[0] / g[0], PRE_DIAG[1] + 0.8 * x[1] / g[1]}, ta(PRE_BIAS, b, 0.8 / b.length));
        }));
        // per tensor: attention (4 entries) drops floor(0.25·4) = 1 and keeps ceil(0.5·4) = 2; the bias drops none, keeps 1
        c.add(new Case("breadcrumbs", Map.of("density", 0.5, "beta", 0.25, "lambda", 0.5), (d, b) -> {
            double[] theta = preEntries();
            for (int t = 0; t < d.length; t++) {
                double[] tau = tauEntries(PRE_DIAG, PRE_BIAS, d[t], b[t]);
                double[] attn = crumbs(new double[] {tau[0], tau[1], tau[2], tau[3]}, 1, 2);
                double[] bias = crumbs(new double[] {tau[4], tau[5]}, 0, 1);
                for (int i = 0; i < 4; i++) {
                    theta[i] += 0.5 * attn[i];
                }
                theta[4] += 0.5 * bias[0];
                theta[5] += 0.5 * bias[1];
            }
            return new double[] {theta[0], theta[3], theta[4], theta[5]};
        }));
        // EMR for task ft2 (its diagonal's second entry disagrees with the elected sign and is masked out)
        c.add(new Case("emr", Map.of("task", "ft2", "lambda", 0.9), (d, b) -> {
            double[][] tau = new double[d.length][];
            for (int t = 0; t < d.length; t++) {
                tau[t] = tauEntries(PRE_DIAG, PRE_BIAS, d[t], b[t]);
            }
            double[] uni = new double[6];
            for (int i = 0; i < 6; i++) {
                double sum = 0;
                for (double[] x : tau) {
                    sum += x[i];
                }
                for (double[] x : tau) {
                    if (Math.signum(x[i]) == Math.signum(sum) && Math.abs(x[i]) > Math.abs(uni[i])) {
                        uni[i] = x[i];
                    }
                }
            }
            double l1 = 0;
            double kept = 0;
            for (int i = 0; i < 6; i++) {
                l1 += Math.abs(tau[1][i]);
                kept += tau[1][i] * uni[i] > 0 ? Math.abs(uni[i]) : 0;
            }
            double[] theta = preEntries();
            for (int i = 0; i < 6; i++) {
                theta[i] += tau[1][i] * uni[i] > 0 ? 0.9 * l1 / kept * uni[i] : 0;
            }
            return new double[] {theta[0], theta[3], theta[4], theta[5]};
        }));
        // CART-Indexing for task ft3 at k = 1: θ_avg plus λ times ν_3's largest |diagonal entry|; the bias is θ_avg
        c.add(new Case("cart-indexing", Map.of("task", "ft3", "rank", 0.5, "lambda", 0.9), (d, b) -> {
            double[] avg = mean(d);
            double[] low = truncate(new double[] {d[2][0] - avg[0], d[2][1] - avg[1]}, 1);
            return concat(new double[] {avg[0] + 0.9 * low[0], avg[1] + 0.9 * low[1]}, mean(b));
        }));
        return c;
    }

    /** The entries ranked top+1 … top+keep by magnitude (stable on ties); the others zero. */
    static double[] crumbs(double[] x, int top, int keep) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Double.compare(Math.abs(x[j]), Math.abs(x[i])));
        double[] out = new double[x.length];
        for (int r = top; r < top + keep; r++) {
            out[order[r]] = x[order[r]];
        }
        return out;
    }

    /** Model Stock on one tensor given as its (diagonal or vector) entries: t from the mean pairwise cosine of the τ_t. */
    static double[] modelStock(double[] pre, double[][] ft) {
        int n = ft.length;
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dot = 0, ni = 0, nj = 0;
                for (int k = 0; k < pre.length; k++) {
                    double x = ft[i][k] - pre[k], y = ft[j][k] - pre[k];
                    dot += x * y;
                    ni += x * x;
                    nj += y * y;
                }
                sum += dot / Math.sqrt(ni * nj);
                pairs++;
            }
        }
        double c = Math.max(0, sum / pairs);
        double t = n * c / (1 + (n - 1) * c);
        double[] avg = mean(ft);
        return new double[] {t * avg[0] + (1 - t) * pre[0], t * avg[1] + (1 - t) * pre[1]};
    }

    /** SLERP of two tensors' entries (the off-diagonal zeros add nothing to dot products or norms). */
    static double[] slerp(double[] x, double[] y, double t) {
        double dot = x[0] * y[0] + x[1] * y[1];
        double cos = dot / Math.sqrt((x[0] * x[0] + x[1] * x[1]) * (y[0] * y[0] + y[1] * y[1]));
        double omega = Math.acos(cos);
        double a = Math.sin((1 - t) * omega) / Math.sin(omega);
        double b = Math.sin(t * omega) / Math.sin(omega);
        return new double[] {a * x[0] + b * y[0], a * x[1] + b * y[1]};
    }

    @BeforeAll
    static void checkpoints() {
        pre = checkpoint("pre", PRE_DIAG, PRE_BIAS);
        for (int t = 0; t < FT_DIAG.length; t++) {
            fts.add(checkpoint("ft" + (t + 1), FT_DIAG[t], FT_BIAS[t]));
        }
    }

    /** Merges that read a zoo's val images: checked against their formulas in the library's tests, here door by door. */
    static final List<String> DATA_MERGES = List.of("regmean", "fisher");

    @Test
    void everyCatalogueMethodHasACase() {
        TreeSet<String> covered = new TreeSet<>(DATA_MERGES);
        cases().forEach(c -> covered.add(c.method()));
        assertEquals(new TreeSet<>(MergeCatalogue.names()), covered);
    }

    @Test
    void commandLine() {
        for (Case c : cases()) {
            MergeMethod m = MergeCatalogue.require(c.method());
            Path out = dir.resolve("cli-" + c.method() + c.params().size() + ".safetensors");
            List<String> args = new ArrayList<>(List.of("merge", c.method(), "--base", pre.toString(), "--out", out.toString()));
            c.params().forEach((k, v) -> {
                args.add(m.param(k).option());
                args.add(String.valueOf(v));
            });
            for (int i : c.models()) {
                args.add(fts.get(i).toString());
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), c + ": " + r.err());
            Weights merged = Weights.load(out);
            check(c, merged);
            assertEquals(c.method(), merged.metadata().get("taulab.method"));
            assertEquals("pre.safetensors", merged.metadata().get("taulab.base"));
            assertEquals(7, merged.entries().get("num_batches").raw().get().order(ByteOrder.LITTLE_ENDIAN).getLong(0), c.method());
        }
    }

    @Test
    void tauFunctions() {
        for (Case c : cases()) {
            MergeMethod m = MergeCatalogue.require(c.method());
            List<Object> positional = new ArrayList<>();
            if (m.needsBase()) {
                positional.add(Weights.load(pre));
            }
            positional.add(loaded(c));
            check(c, (Weights) TauFunctions.call(m.javaName(), positional, new LinkedHashMap<>(c.params())));
        }
    }

    @Test
    void javaFacade() {
        for (Case c : cases()) {
            check(c, Tau.merge(c.method(), Weights.load(pre), loaded(c), c.params()));
        }
    }

    @Test
    void dataMergesGiveTheLibrarysResultThroughEveryDoor() {
        org.taulab.dsl.zoo.Zoo zoo = org.taulab.dsl.zoo.Zoo.open("mini8");
        List<String> tasks = zoo.tasks().subList(0, 2);
        List<Path> files = tasks.stream().map(zoo::finetunedFile).toList();
        String name = "transformer.resblocks.1.mlp.c_fc.weight";
        for (String method : DATA_MERGES) {
            Map<String, Object> params = Map.of("samples", 4, "zoo", "mini8");
            java.util.function.Supplier<float[]> library = () -> MergeCatalogue.require(method).create(params)
                    .merge(new org.taulab.dsl.merge.MergeInputs(null, files.stream().map(Weights::load).toList(), tasks)).get(name).toFloatArray();
            float[] want = library.get();
            Path out = dir.resolve("cli-" + method + ".safetensors");
            List<String> args = new ArrayList<>(List.of("merge", method, "--samples", "4", "--zoo", "mini8", "--out", out.toString()));
            files.forEach(f -> args.add(f.toString()));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), method + ": " + r.err());
            sameAsLibrary(want, Weights.load(out).get(name).toFloatArray(), method + " on the command line", library);
            assertEquals(method, Weights.load(out).metadata().get("taulab.method"));
            List<Object> positional = new ArrayList<>();
            positional.add(files.stream().map(Weights::load).toList());
            Weights tau = (Weights) TauFunctions.call(MergeCatalogue.require(method).javaName(), positional, new LinkedHashMap<>(params));
            sameAsLibrary(want, tau.get(name).toFloatArray(), method + " in %%tau", library);
            sameAsLibrary(want, Tau.merge(method, null, files.stream().map(Weights::load).toList(), params).get(name).toFloatArray(),
                    method + " from Java", library);
        }
    }

    /**
     * A door's result equals the library's; when it does not, the message says whether the library itself gives the
     * same result a second time in this process (a data merge that does not repeat is a different fault from a door
     * that passes other parameters).
     */
    private static void sameAsLibrary(float[] want, float[] got, String what, java.util.function.Supplier<float[]> library) {
        if (want.length == got.length) {
            float worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            if (worst <= 1e-5f) {
                return;
            }
        }
        float[] again = library.get();
        float drift = 0;
        for (int i = 0; i < want.length; i++) {
            drift = Math.max(drift, Math.abs(want[i] - again[i]));
        }
        assertArrayEquals(want, got, 1e-5f, what + " (the library's own second run differs from its first by " + drift + ")");
    }

    private static List<Weights> loaded(Case c) {
        List<Weights> w = new ArrayList<>();
        for (int i : c.models()) {
            w.add(Weights.load(fts.get(i)));
        }
        return w;
    }

    private static void check(Case c, Weights merged) {
        double[] want = c.expected().apply(c.pick(FT_DIAG), c.pick(FT_BIAS));
        float[] attn = merged.get(ATTN).toFloatArray();
        float[] bias = merged.get(BIAS).toFloatArray();
        assertArrayEquals(new float[] {(float) want[0], 0, 0, (float) want[1]}, attn, 1e-5f, c + ": " + ATTN);
        assertArrayEquals(new float[] {(float) want[2], (float) want[3]}, bias, 1e-5f, c + ": " + BIAS);
    }

    // ---- the independent expectations

    static double[] ta(double[] pre, double[][] ft, double lambda) {
        double[] out = pre.clone();
        for (double[] f : ft) {
            for (int i = 0; i < out.length; i++) {
                out[i] += lambda * (f[i] - pre[i]);
            }
        }
        return out;
    }

    static double[] mean(double[][] ft) {
        double[] out = new double[ft[0].length];
        for (double[] f : ft) {
            add(out, f, 1.0 / ft.length);
        }
        return out;
    }

    /** SVD_k of a diagonal 2×2 matrix: the k entries of largest magnitude stay. */
    static double[] truncate(double[] diag, int k) {
        if (k >= 2) {
            return diag.clone();
        }
        return Math.abs(diag[0]) >= Math.abs(diag[1]) ? new double[] {diag[0], 0} : new double[] {0, diag[1]};
    }

    /** Every float entry of τ_t in file order: attention (row-major, off-diagonal zeros), then bias. */
    static double[] tauEntries(double[] pre, double[] preBias, double[] diag, double[] bias) {
        return new double[] {diag[0] - pre[0], 0, 0, diag[1] - pre[1], bias[0] - preBias[0], bias[1] - preBias[1]};
    }

    static double[] preEntries() {
        return new double[] {PRE_DIAG[0], 0, 0, PRE_DIAG[1], PRE_BIAS[0], PRE_BIAS[1]};
    }

    /** TIES by its definition, over the whole vector: keep each τ_t's top-k magnitudes, elect signs, disjoint mean. */
    static double[] ties(double[][] d, double[][] b, double topk, double lambda) {
        int n = 6;
        double[][] trimmed = new double[d.length][];
        for (int t = 0; t < d.length; t++) {
            double[] tau = tauEntries(PRE_DIAG, PRE_BIAS, d[t], b[t]);
            double[] mags = new double[n];
            for (int i = 0; i < n; i++) {
                mags[i] = Math.abs(tau[i]);
            }
            java.util.Arrays.sort(mags);
            double threshold = mags[n - (int) Math.round(topk * n)];
            trimmed[t] = new double[n];
            for (int i = 0; i < n; i++) {
                trimmed[t][i] = Math.abs(tau[i]) >= threshold ? tau[i] : 0;
            }
        }
        double[] theta = preEntries();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (double[] tr : trimmed) {
                sum += tr[i];
            }
            double agreeing = 0;
            int count = 0;
            for (double[] tr : trimmed) {
                if (tr[i] != 0 && Math.signum(tr[i]) == Math.signum(sum)) {
                    agreeing += tr[i];
                    count++;
                }
            }
            theta[i] += lambda * (count == 0 ? 0 : agreeing / count);
        }
        return new double[] {theta[0], theta[3], theta[4], theta[5]};
    }

    /** Consensus TA by its definition: TALL masks m_t = |τ_t| ≥ λ_t |τ_MTL − τ_t|, kept where ≥ minAgree agree. */
    static double[] consensus(double[][] d, double[][] b, double lambda, double tall, int minAgree) {
        double[][] tau = new double[d.length][];
        for (int t = 0; t < d.length; t++) {
            tau[t] = tauEntries(PRE_DIAG, PRE_BIAS, d[t], b[t]);
        }
        double[] theta = preEntries();
        for (int i = 0; i < 6; i++) {
            double mtl = 0;
            for (double[] x : tau) {
                mtl += x[i];
            }
            int votes = 0;
            for (double[] x : tau) {
                if (Math.abs(x[i]) >= tall * Math.abs(mtl - x[i])) {
                    votes++;
                }
            }
            theta[i] += votes >= minAgree ? lambda * mtl : 0;
        }
        return new double[] {theta[0], theta[3], theta[4], theta[5]};
    }

    static void add(double[] into, double[] x, double scale) {
        for (int i = 0; i < into.length; i++) {
            into[i] += scale * x[i];
        }
    }

    static double[] concat(double[] a, double[] b) {
        return new double[] {a[0], a[1], b[0], b[1]};
    }

    static Path checkpoint(String name, double[] diag, double[] bias) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        float[] attn = {(float) diag[0], 0, 0, (float) diag[1]};
        float[] bv = {(float) bias[0], (float) bias[1]};
        entries.put(ATTN, TensorEntry.floating(ATTN, DType.F32, new long[] {2, 2}, m -> m.create(attn.clone(), new Shape(2, 2))));
        entries.put(BIAS, TensorEntry.floating(BIAS, DType.F32, new long[] {2}, m -> m.create(bv.clone(), new Shape(2))));
        ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 7);
        entries.put("num_batches", TensorEntry.passThrough("num_batches", DType.I64, new long[] {1}, raw::duplicate));
        Path p = dir.resolve(name + ".safetensors");
        new Weights(entries, Map.of(), name).save(p);
        return p;
    }
}
