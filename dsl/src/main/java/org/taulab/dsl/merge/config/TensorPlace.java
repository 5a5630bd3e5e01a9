package org.taulab.dsl.merge.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a tensor sits in the model, for values interpolated across layers: its name and its depth in [0, 1], the
 * layer index over the last layer's (the layer is the number after {@code layers.}, {@code h.}, {@code blocks.},
 * {@code resblocks.} or {@code layer.} in the name). Tensors outside the layers take depth 0 when they come before
 * the first layer in the model's order (embeddings) and 1 after it (final norm, output head).
 */
record TensorPlace(String name, double depth) {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)(?:layers|h|blocks|resblocks|layer)\\.(\\d+)\\.");

    static Integer layer(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** The place of every tensor, from the names in the model's order. */
    static Map<String, TensorPlace> of(List<String> names) {
        int last = 0;
        int firstLayered = -1;
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Integer l = layer(names.get(i));
            layers.add(l);
            if (l != null) {
                last = Math.max(last, l);
                firstLayered = firstLayered < 0 ? i : firstLayered;
            }
        }
        Map<String, TensorPlace> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer l = layers.get(i);
            double depth = l != null ? (last == 0 ? 0 : l / (double) last) : (firstLayered < 0 || i < firstLayered ? 0 : 1);
            out.put(names.get(i), new TensorPlace(names.get(i), depth));
        }
        return out;
    }
}
