package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.model.ClassifierHead;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.train.Batches;
import org.taulab.dsl.zoo.Zoo;

/** RegMean and Fisher merging: their formulas on hand cases, their identities, and Fisher's gradients by finite differences. */
class DataMergesTest {
    @Test
    void regmeanWithDiagonalGramsIsAColumnWeightedMean() {
        // G_t diagonal: W_ij = Σ_t W_t,ij g_t,j / Σ_t g_t,j, whatever α
        float[] w1 = {1, 2, 3, 4};
        float[] w2 = {5, 6, 7, 8};
        double[] g1 = {1, 0, 0, 3};
        double[] g2 = {3, 0, 0, 1};
        float[] merged = RegMeanMerge.combine(List.of(w1, w2), List.of(g1, g2), 2, 2, 0.5, "w");
        assertArrayEquals(new float[] {(1 * 1 + 5 * 3) / 4f, (2 * 3 + 6 * 1) / 4f, (3 * 1 + 7 * 3) / 4f, (4 * 3 + 8 * 1) / 4f}, merged, 1e-5f);
    }

    @Test
    void regmeanSolvesItsNormalEquationsAndScalesTheOffDiagonal() {
        Random rnd = new Random(3);
        int rows = 3;
        int cols = 4;
        List<float[]> ws = List.of(randomFloats(rnd, rows * cols), randomFloats(rnd, rows * cols));
        List<double[]> gs = List.of(gram(rnd, cols), gram(rnd, cols));
        double alpha = 0.7;
        float[] w = RegMeanMerge.combine(ws, gs, rows, cols, alpha, "w");
        // W Σ G̃_t = Σ W_t G̃_t, G̃ with the off-diagonal scaled by α, computed here entry by entry
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double lhs = 0;
                double rhs = 0;
                for (int t = 0; t < 2; t++) {
                    for (int k = 0; k < cols; k++) {
                        double g = gs.get(t)[k * cols + j] * (k == j ? 1 : alpha);
                        lhs += w[i * cols + k] * g;
                        rhs += ws.get(t)[i * cols + k] * g;
                    }
                }
                assertEquals(rhs, lhs, 1e-4, "entry " + i + "," + j);
            }
        }
        float[] same = RegMeanMerge.combine(List.of(ws.get(0), ws.get(0)), gs, rows, cols, alpha, "w");
        assertArrayEquals(ws.get(0), same, 1e-4f, "identical models merge to themselves");
    }

    @Test
    void regmeanGramsSumOverImagesAndTokens() {
        Zoo zoo = Zoo.open("mini8");
        Weights model = zoo.finetuned(zoo.tasks().get(0));
        ImageSet images = zoo.data().get(0).val().first(6);
        Map<String, double[]> all = RegMeanMerge.grams(model, images);
        Map<String, double[]> a = RegMeanMerge.grams(model, images.first(2));
        Map<String, double[]> b = RegMeanMerge.grams(model, images.select(new int[] {2, 3, 4, 5}));
        VitConfig config = VitConfig.of(model);
        assertEquals(4 * config.layers(), all.size(), "four linear layers per block: " + all.keySet());
        for (String name : all.keySet()) {
            double[] g = all.get(name);
            int n = (int) Math.round(Math.sqrt(g.length));
            for (int i = 0; i < g.length; i++) {
                assertEquals(a.get(name)[i] + b.get(name)[i], g[i], 1e-3 * (1 + Math.abs(g[i])), name);
            }
            for (int i = 0; i < n; i++) {
                assertTrue(g[i * n + i] >= 0, "a Gram's diagonal is a sum of squares");
                for (int j = 0; j < i; j++) {
                    assertEquals(g[i * n + j], g[j * n + i], 1e-3 * (1 + Math.abs(g[i * n + j])), "symmetric");
                }
            }
        }
    }

    @Test
    void fisherIsTheMeanSquaredGradientOfTheSampledLogLikelihood() {
        Zoo zoo = Zoo.open("mini8");
        String task = zoo.tasks().get(1);
        Weights model = zoo.finetuned(task);
        Weights head = zoo.head(task);
        ImageSet images = zoo.data().get(1).val().first(3);
        Map<String, float[]> fisher = FisherMerge.fisher(model, head, images, 42);
        // the same labels, drawn in the same order from the model's own predictions
        ClipVit vit = new ClipVit(VitConfig.of(model));
        Random rnd = new Random(42);
        int[] labels = new int[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = FisherMerge.sample(logp(vit, model, head, images, i), rnd);
        }
        String name = "transformer.resblocks.0.mlp.c_fc.bias";
        float[] values = values(model, name);
        for (int k : new int[] {0, 5, 17}) {
            double f = 0;
            for (int i = 0; i < images.count(); i++) {
                double h = 1e-2;
                double up = logp(vit, with(model, name, values, k, h), head, images, i)[labels[i]];
                double down = logp(vit, with(model, name, values, k, -h), head, images, i)[labels[i]];
                double g = (up - down) / (2 * h);
                f += g * g / images.count();
            }
            assertEquals(f, fisher.get(name)[k], 0.03 * f + 1e-7, name + "[" + k + "]");
        }
    }

    @Test
    void fisherAndRegmeanReturnIdenticalModelsAndNameAMissingTask() {
        Zoo zoo = Zoo.open("mini8");
        String task = zoo.tasks().get(2);
        Weights model = zoo.finetuned(task);
        MergeInputs twice = new MergeInputs(null, List.of(model, model), List.of(task, task));
        String name = "transformer.resblocks.1.attn.in_proj_weight";
        Weights fisher = FisherMerge.METHOD.create(Map.of("samples", 4)).merge(twice);
        assertArrayEquals(values(model, name), values(fisher, name), 1e-6f);
        Weights regmean = RegMeanMerge.METHOD.create(Map.of("samples", 8)).merge(twice);
        assertArrayEquals(values(model, name), values(regmean, name), 2e-4f);
        MergeInputs unknown = new MergeInputs(null, List.of(model, model), List.of("ft1", "ft2"));
        BadParameter e = assertThrows(BadParameter.class, () -> RegMeanMerge.METHOD.create(Map.of()).merge(unknown));
        assertTrue(e.getMessage().contains("has no task 'ft1'"), e.getMessage());
        Weights mapped = RegMeanMerge.METHOD.create(Map.of("samples", 8, "tasks", task + "," + task)).merge(unknown);
        assertArrayEquals(values(model, name), values(mapped, name), 2e-4f, "--tasks maps models to the zoo's tasks");
    }

    private static float[] logp(ClipVit vit, Weights model, Weights head, ImageSet images, int i) {
        try (NDManager m = Tensors.scope()) {
            NDArray f = vit.features(n -> model.compute(n, m), Batches.images(m, images, null, i, i + 1));
            return ClassifierHead.logits(f, head.compute("weight", m), head.compute("bias", m)).logSoftmax(-1).toFloatArray();
        }
    }

    private static Weights with(Weights model, String name, float[] values, int k, double h) {
        float[] changed = values.clone();
        changed[k] += (float) h;
        Map<String, TensorEntry> entries = new LinkedHashMap<>(model.entries());
        long[] shape = model.entries().get(name).shape();
        entries.put(name, TensorEntry.floating(name, DType.F32, shape, m -> m.create(changed.clone(), new Shape(shape))));
        return new Weights(entries, model.metadata(), model.label());
    }

    private static float[] values(Weights w, String name) {
        try (NDManager m = Tensors.scope()) {
            return w.compute(name, m).toFloatArray();
        }
    }

    private static float[] randomFloats(Random rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rnd.nextGaussian();
        }
        return out;
    }

    /** XᵀX of a random 6 × n X: symmetric positive definite. */
    private static double[] gram(Random rnd, int n) {
        double[] x = new double[6 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int r = 0; r < 6; r++) {
                    g[i * n + j] += x[r * n + i] * x[r * n + j];
                }
            }
        }
        return g;
    }
}
