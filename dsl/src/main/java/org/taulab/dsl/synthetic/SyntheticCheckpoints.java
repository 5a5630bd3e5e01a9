package org.taulab.dsl.synthetic;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * Seeded synthetic checkpoints with the tensor names of OpenCLIP's visual tower at a chosen width and
 * depth: a pretrained model and fine-tuned models whose task vectors share a common component (so they
 * interfere) plus a task-specific low-rank part and small noise. For demos, tests and benchmarks.
 */
public final class SyntheticCheckpoints {
    private SyntheticCheckpoints() {
    }

    /** Tensor names and shapes of a CLIP-style ViT visual tower. */
    public static Map<String, long[]> vitShapes(int width, int layers, int patch, int tokens, int embed) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new long[] {width, 3, patch, patch});
        s.put("class_embedding", new long[] {width});
        s.put("positional_embedding", new long[] {tokens, width});
        s.put("ln_pre.weight", new long[] {width});
        s.put("ln_pre.bias", new long[] {width});
        for (int i = 0; i < layers; i++) {
            String b = "transformer.resblocks." + i + ".";
            s.put(b + "ln_1.weight", new long[] {width});
            s.put(b + "ln_1.bias", new long[] {width});
            s.put(b + "attn.in_proj_weight", new long[] {3L * width, width});
            s.put(b + "attn.in_proj_bias", new long[] {3L * width});
            s.put(b + "attn.out_proj.weight", new long[] {width, width});
            s.put(b + "attn.out_proj.bias", new long[] {width});
            s.put(b + "ln_2.weight", new long[] {width});
            s.put(b + "ln_2.bias", new long[] {width});
            s.put(b + "mlp.c_fc.weight", new long[] {4L * width, width});
            s.put(b + "mlp.c_fc.bias", new long[] {4L * width});
            s.put(b + "mlp.c_proj.weight", new long[] {width, 4L * width});
            s.put(b + "mlp.c_proj.bias", new long[] {width});
        }
        s.put("ln_post.weight", new long[] {width});
        s.put("ln_post.bias", new long[] {width});
        s.put("proj", new long[] {width, embed});
        return s;
    }

    /** Writes {@code pretrained.safetensors} and {@code task1..N.safetensors} into {@code dir}; returns their paths. */
    public static List<Path> write(Path dir, Map<String, long[]> shapes, int tasks, long seed) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new TauLabException(dir + ": cannot create directory (" + e.getMessage() + ")");
        }
        List<Path> paths = new ArrayList<>();
        Path pre = dir.resolve("pretrained.safetensors");
        model(shapes, seed, -1, tasks).save(pre);
        paths.add(pre);
        for (int t = 0; t < tasks; t++) {
            Path p = dir.resolve("task" + (t + 1) + ".safetensors");
            model(shapes, seed, t, tasks).save(p);
            paths.add(p);
        }
        return paths;
    }

    /** The pretrained model ({@code task = -1}) or fine-tuned model {@code task}, computed lazily. */
    public static Weights model(Map<String, long[]> shapes, long seed, int task, int tasks) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            long tensorSeed = seed * 1_000_003L + index++;
            entries.put(name, TensorEntry.floating(name, DType.F32, shape,
                    m -> m.create(values(shape, tensorSeed, task), new Shape(shape))));
        }
        return new Weights(entries, Map.of(), task < 0 ? "pretrained" : "task" + (task + 1));
    }

    private static float[] values(long[] shape, long tensorSeed, int task) {
        int n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, (int) d);
        }
        float[] v = new float[n];
        Random base = new Random(tensorSeed);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (base.nextGaussian() * 0.02);
        }
        if (task < 0) {
            return v;
        }
        // τ_t = shared direction + task-specific rank-2 part (matrices) + noise, about 1e-3 of the weights.
        Random shared = new Random(tensorSeed ^ 0x5DEECE66DL);
        Random own = new Random(tensorSeed * 31 + task + 1);
        int rows = shape.length == 2 ? (int) shape[0] : 1;
        int cols = n / rows;
        float[][] u = new float[2][rows];
        float[][] w = new float[2][cols];
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < rows; i++) {
                u[r][i] = (float) own.nextGaussian();
            }
            for (int j = 0; j < cols; j++) {
                w[r][j] = (float) own.nextGaussian();
            }
        }
        double lowRankScale = 4e-4 / Math.sqrt(Math.max(1, Math.min(rows, cols)));
        for (int i = 0; i < n; i++) {
            int row = i / cols;
            int col = i % cols;
            double lowRank = shape.length == 2 ? (u[0][row] * w[0][col] + 0.5 * u[1][row] * w[1][col]) * lowRankScale * 10 : 0;
            v[i] += (float) (shared.nextGaussian() * 2e-4 + lowRank + own.nextGaussian() * 1e-4);
        }
        return v;
    }
}
