package org.taulab.dsl.model;

import java.util.Map;
import java.util.function.Function;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.dsl.tensor.TensorEntry;

/**
 * The shape of a CLIP-style ViT visual tower, read off its tensors (OpenCLIP names): width and channels
 * and patch from {@code conv1.weight}, tokens from {@code positional_embedding}, depth from the resblocks,
 * embedding size from {@code proj}. Heads are not visible in the shapes: metadata
 * {@code taulab.vit.heads} when present, else OpenCLIP's rule width / 64.
 */
public record VitConfig(int width, int channels, int patch, int grid, int layers, int heads, int embed, String activation) {
    public static final String HEADS_KEY = "taulab.vit.heads";
    public static final String ACTIVATION_KEY = "taulab.vit.act";

    public int image() {
        return grid * patch;
    }

    public int tokens() {
        return grid * grid + 1;
    }

    public static VitConfig of(StateDict weights) {
        return infer(name -> {
            TensorEntry e = weights.entries().get(name);
            return e == null ? null : e.shape();
        }, weights.metadata(), weights.label());
    }

    static VitConfig infer(Function<String, long[]> shape, Map<String, String> metadata, String label) {
        long[] conv = require(shape, "conv1.weight", 4, label);
        long[] pos = require(shape, "positional_embedding", 2, label);
        long[] proj = require(shape, "proj", 2, label);
        int width = (int) conv[0];
        int grid = (int) Math.round(Math.sqrt(pos[0] - 1));
        if (grid * grid + 1 != pos[0] || pos[1] != width || conv[2] != conv[3] || proj[0] != width) {
            throw new TauLabException(label + ": tensor shapes are not those of a CLIP ViT visual tower (conv1.weight "
                    + java.util.Arrays.toString(conv) + ", positional_embedding " + java.util.Arrays.toString(pos) + ")");
        }
        int layers = 0;
        while (shape.apply("transformer.resblocks." + layers + ".ln_1.weight") != null) {
            layers++;
        }
        int heads = Integer.parseInt(metadata.getOrDefault(HEADS_KEY, String.valueOf(Math.max(1, width / 64))));
        if (width % heads != 0) {
            throw new TauLabException(label + ": width " + width + " is not divisible by " + heads + " heads");
        }
        return new VitConfig(width, (int) conv[1], (int) conv[2], grid, layers, heads, (int) proj[1],
                metadata.getOrDefault(ACTIVATION_KEY, "quick_gelu"));
    }

    private static long[] require(Function<String, long[]> shape, String name, int rank, String label) {
        long[] s = shape.apply(name);
        if (s == null || s.length != rank) {
            throw new TauLabException(label + ": not a CLIP ViT visual tower (no " + rank + "-D tensor '" + name + "')");
        }
        return s;
    }

    /** Metadata to store with a model so its configuration reads back exactly. */
    public Map<String, String> metadata() {
        return Map.of(HEADS_KEY, String.valueOf(heads), ACTIVATION_KEY, activation);
    }
}
