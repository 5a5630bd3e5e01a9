package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.linalg.SymmetricSolve;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.ScopedParams;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.train.Batches;

/**
 * RegMean (Jin et al., ICLR 2023): each linear layer of the encoder becomes the weight that best reproduces every
 * model's outputs on its own task's inputs, {@code W = (Σ_t W_t G̃_t)(Σ_t G̃_t)⁻¹} for {@code y = W x}, where
 * {@code G_t = X_tᵀ X_t} sums the layer's inputs in model t over {@code samples} val images of its task (every
 * token) and {@code G̃_t} keeps G_t's diagonal and scales its off-diagonal by α (default 0.9, the paper's). The
 * linear layers are each block's {@code in_proj_weight}, {@code out_proj.weight}, {@code c_fc.weight} and
 * {@code c_proj.weight}; every other tensor (the patch embedding, the projection, norms, biases) is the plain
 * average. No base needed. Inputs come from a zoo's val split ({@link TaskInputs}); any CLIP-style encoder runs
 * through the same model code, its images conformed to the encoder's input size.
 */
public record RegMeanMerge(double alpha, String zoo, int samples, String tasks) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("regmean").order(180)
            .summary("per linear layer W = (Σ_t W_t G̃_t)(Σ_t G̃_t)⁻¹, G_t the Gram of its inputs on task t's val images (off-diagonal ×α); elsewhere the average (no base needed)")
            .source("Jin et al. 2023, Dataless knowledge fusion by merging weights of language models (RegMean)")
            .param(ParamSpec.number("alpha", 0.9, 0, 1, "scale of the Gram matrices' off-diagonal entries"))
            .param(TaskInputs.ZOO)
            .param(TaskInputs.SAMPLES)
            .param(TaskInputs.TASKS)
            .build(v -> new RegMeanMerge(v.number("alpha"), v.text("zoo"), v.integer("samples"), v.text("tasks")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("alpha", alpha);
        TaskInputs.put(p, zoo, samples, tasks);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        TaskInputs data = TaskInputs.of(method(), in, zoo, samples, tasks);
        List<Map<String, double[]>> grams = new java.util.ArrayList<>();
        for (int t = 0; t < in.count(); t++) {
            grams.add(grams(in.finetuned().get(t), data.images().get(t)));
        }
        Weights avg = in.average();
        return in.build(method(), metadata(), (name, m) -> {
            if (!grams.get(0).containsKey(name)) {
                return avg.compute(name, m);
            }
            long[] shape = in.layout().entry(name).shape();
            List<float[]> weights = new java.util.ArrayList<>();
            List<double[]> each = new java.util.ArrayList<>();
            for (int t = 0; t < in.count(); t++) {
                weights.add(in.finetuned().get(t).compute(name, m).toFloatArray());
                each.add(grams.get(t).get(name));
            }
            return m.create(combine(weights, each, (int) shape[0], (int) shape[1], alpha, name), new Shape(shape));
        });
    }

    /** {@code (Σ_t W_t G̃_t)(Σ_t G̃_t)⁻¹} of row-major rows × cols weights and their cols × cols Grams. */
    static float[] combine(List<float[]> weights, List<double[]> grams, int rows, int cols, double alpha, String name) {
        double[] sum = new double[cols * cols];
        double[] rhs = new double[rows * cols];
        for (int t = 0; t < weights.size(); t++) {
            double[] g = regularized(grams.get(t), cols, alpha);
            float[] w = weights.get(t);
            double[] wd = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                wd[i] = w[i];
            }
            for (int i = 0; i < g.length; i++) {
                sum[i] += g[i];
            }
            org.bytedeco.openblas.global.openblas.cblas_dgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                    org.bytedeco.openblas.global.openblas.CblasNoTrans, org.bytedeco.openblas.global.openblas.CblasNoTrans,
                    rows, cols, cols, 1, wd, cols, g, cols, 1, rhs, cols);
        }
        double[] merged = SymmetricSolve.rightDivide(rhs, sum, rows, cols, name);
        float[] out = new float[merged.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) merged[i];
        }
        return out;
    }

    /** {@code G̃}: the diagonal kept, the rest scaled by α. */
    static double[] regularized(double[] g, int n, double alpha) {
        double[] out = new double[g.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = i == j ? g[i * n + j] : alpha * g[i * n + j];
            }
        }
        return out;
    }

    /** {@code X_ᵀ X} of the inputs of every linear layer of {@code model}, run on {@code images}. */
    static Map<String, double[]> grams(Weights model, ImageSet images) {
        ClipVit vit = new ClipVit(VitConfig.of(model));
        Map<String, double[]> out = new HashMap<>();
        for (int from = 0; from < images.count(); from += org.taulab.dsl.model.Classifier.BATCH) {
            int to = Math.min(images.count(), from + org.taulab.dsl.model.Classifier.BATCH);
            try (NDManager m = Tensors.scope()) {
                vit.features(ScopedParams.in(m, model::get), Batches.images(m, images, null, from, to), (name, x) -> {
                    long in = x.getShape().getLastDimension();
                    NDArray flat = x.reshape(-1, in);
                    float[] g = flat.transpose().matMul(flat).toFloatArray();
                    double[] acc = out.computeIfAbsent(name, k -> new double[g.length]);
                    for (int i = 0; i < g.length; i++) {
                        acc[i] += g[i];
                    }
                });
            }
        }
        return out;
    }
}
