package org.taulab.dsl.analysis;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The analyses behind CART's figures (§4.2) and everyday inspection, each as a Tablesaw table:
 * reconstruction error R(k), row-space interference I(k), singular spectra, cosine similarity and norms.
 */
public final class Analyses {
    private Analyses() {
    }

    /**
     * {@code R(k) = Σ_t ‖v_t − SVD_k(v_t)‖²_F} per selected matrix and rank ratio, measured on the
     * reconstructed matrices; {@code relative} divides by {@code Σ_t ‖v_t‖²_F}.
     */
    public static Table reconstructionError(List<TaskVector> vectors, Selector selector, List<Double> ratios) {
        return reconstructionError(vectors, selector, ratios, SvdChoice.AUTO);
    }

    /** As above, each matrix decomposed once at the largest of the ratios, as {@code choice} says. */
    public static Table reconstructionError(List<TaskVector> vectors, Selector selector, List<Double> ratios, SvdChoice choice) {
        Table t = Table.create("reconstruction error R(k)");
        StringColumn tensor = StringColumn.create("tensor");
        DoubleColumn ratio = DoubleColumn.create("rank_ratio");
        IntColumn kCol = IntColumn.create("k");
        DoubleColumn error = DoubleColumn.create("error");
        DoubleColumn relative = DoubleColumn.create("relative");
        for (String name : selected(vectors.get(0), selector)) {
            List<float[]> originals = new ArrayList<>();
            double energy = 0;
            for (TaskVector v : vectors) {
                try (NDManager m = Tensors.scope()) {
                    float[] a = v.compute(name, m).toFloatArray();
                    originals.add(a);
                    energy += squaredNorm(a);
                }
            }
            for (double r : ratios) {
                double total = 0;
                int k = 0;
                for (int i = 0; i < vectors.size(); i++) {
                    Svd d = vectors.get(i).svd(name, largestRank(vectors.get(i), name, ratios), choice);
                    k = Rank.ratio(r).k(d.m(), d.n());
                    total += squaredDistance(originals.get(i), d.truncate(k));
                }
                tensor.append(name);
                ratio.append(r);
                kCol.append(k);
                error.append(total);
                relative.append(energy == 0 ? 0 : total / energy);
            }
        }
        t.addColumns(tensor, ratio, kCol, error, relative);
        return t;
    }

    /**
     * Row-space interference {@code I(k) = Σ_t Σ_{s≠t} ‖Σ̃_t V_tᵀ V_s Σ̃_s‖_F} per selected matrix and
     * rank ratio, with V_t the top-k right singular vectors and Σ̃_t the top-k singular values over
     * their 2-norm.
     */
    public static Table interference(List<TaskVector> vectors, Selector selector, List<Double> ratios) {
        return interference(vectors, selector, ratios, SvdChoice.AUTO);
    }

    /** As above, each matrix decomposed once at the largest of the ratios, as {@code choice} says. */
    public static Table interference(List<TaskVector> vectors, Selector selector, List<Double> ratios, SvdChoice choice) {
        Table t = Table.create("row-space interference I(k)");
        StringColumn tensor = StringColumn.create("tensor");
        DoubleColumn ratio = DoubleColumn.create("rank_ratio");
        IntColumn kCol = IntColumn.create("k");
        DoubleColumn value = DoubleColumn.create("interference");
        for (String name : selected(vectors.get(0), selector)) {
            int largest = largestRank(vectors.get(0), name, ratios);
            List<Svd> svds = vectors.parallelStream().map(v -> v.svd(name, largest, choice)).toList();
            for (double r : ratios) {
                int k = Rank.ratio(r).k(svds.get(0).m(), svds.get(0).n());
                tensor.append(name);
                ratio.append(r);
                kCol.append(k);
                value.append(interferenceAt(svds, k));
            }
        }
        t.addColumns(tensor, ratio, kCol, value);
        return t;
    }

    private static int largestRank(TaskVector v, String name, List<Double> ratios) {
        long[] shape = v.entry(name).shape();
        int k = 0;
        for (double r : ratios) {
            k = Math.max(k, Rank.ratio(r).k((int) shape[0], (int) shape[1]));
        }
        return k;
    }

    static double interferenceAt(List<Svd> svds, int k) {
        if (k == 0) {
            return 0;
        }
        int n = svds.get(0).n();
        double total = 0;
        for (int a = 0; a < svds.size(); a++) {
            for (int b = 0; b < svds.size(); b++) {
                if (a == b) {
                    continue;
                }
                Svd x = svds.get(a);
                Svd y = svds.get(b);
                // V_aᵀ V_b (k × k) from the first k rows of each Vᵀ: (Vt_a[:k]) (Vt_b[:k])ᵀ.
                float[] cross = new float[k * k];
                org.bytedeco.openblas.global.openblas.cblas_sgemm(
                        org.bytedeco.openblas.global.openblas.CblasRowMajor,
                        org.bytedeco.openblas.global.openblas.CblasNoTrans,
                        org.bytedeco.openblas.global.openblas.CblasTrans,
                        k, k, n, 1f, x.vt(), n, y.vt(), n, 0f, cross, k);
                double[] sx = normalizedTop(x.s(), k);
                double[] sy = normalizedTop(y.s(), k);
                double f = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double c = sx[i] * cross[i * k + j] * sy[j];
                        f += c * c;
                    }
                }
                total += Math.sqrt(f);
            }
        }
        return total;
    }

    private static double[] normalizedTop(float[] s, int k) {
        double[] out = new double[k];
        double norm = 0;
        for (int i = 0; i < k; i++) {
            norm += (double) s[i] * s[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < k; i++) {
            out[i] = norm == 0 ? 0 : s[i] / norm;
        }
        return out;
    }

    /** Interference averaged over the selected matrices for centered ν_t and original τ_t, per rank ratio. */
    public static Table interferenceCenteredVsOriginal(MergeInputs inputs, Selector selector, List<Double> ratios) {
        Table centered = interference(inputs.centered(), selector, ratios);
        Table original = interference(inputs.taskVectors(), selector, ratios);
        Table t = Table.create("row-space interference: centered vs original");
        DoubleColumn ratio = DoubleColumn.create("rank_ratio");
        DoubleColumn c = DoubleColumn.create("centered");
        DoubleColumn o = DoubleColumn.create("original");
        for (double r : ratios) {
            ratio.append(r);
            c.append(meanAt(centered, r, "interference"));
            o.append(meanAt(original, r, "interference"));
        }
        t.addColumns(ratio, c, o);
        return t;
    }

    private static double meanAt(Table t, double ratio, String column) {
        return t.where(t.doubleColumn("rank_ratio").isEqualTo(ratio)).doubleColumn(column).mean();
    }

    /** Singular values of every selected matrix of every vector (all of them: the exact SVD): task, tensor, index, sigma. */
    public static Table spectrum(List<TaskVector> vectors, List<String> names, Selector selector) {
        Table t = Table.create("singular spectra");
        StringColumn task = StringColumn.create("task");
        StringColumn tensor = StringColumn.create("tensor");
        IntColumn index = IntColumn.create("index");
        DoubleColumn sigma = DoubleColumn.create("sigma");
        for (int i = 0; i < vectors.size(); i++) {
            for (String name : selected(vectors.get(i), selector)) {
                float[] s = vectors.get(i).svd(name).s();
                for (int j = 0; j < s.length; j++) {
                    task.append(names.get(i));
                    tensor.append(name);
                    index.append(j + 1);
                    sigma.append(s[j]);
                }
            }
        }
        t.addColumns(task, tensor, index, sigma);
        return t;
    }

    /** Pairwise cosine similarity of flattened state dicts, one row and one column per name. */
    public static Table cosineMatrix(List<? extends StateDict> dicts, List<String> names) {
        if (dicts.size() != names.size()) {
            throw new TauLabException(names.size() + " names for " + dicts.size() + " vectors");
        }
        int n = dicts.size();
        double[][] dot = new double[n][n];
        for (String key : dicts.get(0).floatKeys()) {
            try (NDManager m = Tensors.scope()) {
                float[][] x = new float[n][];
                for (int i = 0; i < n; i++) {
                    x[i] = dicts.get(i).compute(key, m).toFloatArray();
                }
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        double d = dotProduct(x[i], x[j]);
                        dot[i][j] += d;
                        dot[j][i] = dot[i][j];
                    }
                }
            }
        }
        Table t = Table.create("cosine similarity");
        t.addColumns(StringColumn.create("", names));
        for (int j = 0; j < n; j++) {
            DoubleColumn c = DoubleColumn.create(names.get(j));
            for (int i = 0; i < n; i++) {
                double denominator = Math.sqrt(dot[i][i] * dot[j][j]);
                c.append(denominator == 0 ? 0 : dot[i][j] / denominator);
            }
            t.addColumns(c);
        }
        return t;
    }

    /** One row per tensor: name, dtype, shape, L2 norm (blank for non-float tensors). */
    public static Table norms(StateDict dict) {
        Map<String, Double> norms = dict.tensorNorms();
        Table t = Table.create("tensors of " + dict.label());
        StringColumn name = StringColumn.create("tensor");
        StringColumn dtype = StringColumn.create("dtype");
        StringColumn shape = StringColumn.create("shape");
        DoubleColumn norm = DoubleColumn.create("norm");
        for (TensorEntry e : dict.entries().values()) {
            name.append(e.name());
            dtype.append(e.dtype().name());
            shape.append(e.shapeString());
            Double v = norms.get(e.name());
            if (v == null) {
                norm.appendMissing();
            } else {
                norm.append(v);
            }
        }
        t.addColumns(name, dtype, shape, norm);
        return t;
    }

    private static List<String> selected(StateDict dict, Selector selector) {
        List<String> names = new ArrayList<>();
        dict.entries().values().forEach(e -> {
            if (selector.test(e)) {
                names.add(e.name());
            }
        });
        return names;
    }

    private static double squaredNorm(float[] a) {
        return dotProduct(a, a);
    }

    private static double dotProduct(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
