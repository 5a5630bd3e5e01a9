package org.taulab.dsl.zoo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.taulab.dsl.synthetic.SyntheticCheckpoints;

/** Seeded initial weights of a CLIP ViT visual tower, with CLIP's initialization scales. */
final class VitInit {
    private VitInit() {
    }

    static Map<String, float[]> init(ZooRecipe r, int channels, int grid) {
        Map<String, long[]> shapes = SyntheticCheckpoints.vitShapes(r.width(), r.layers(), r.patch(), grid * grid + 1, r.embed());
        shapes.put("conv1.weight", new long[] {r.width(), channels, r.patch(), r.patch()});
        Random rnd = new Random(r.seed());
        double attnStd = Math.pow(r.width(), -0.5);
        double projStd = attnStd * Math.pow(2 * r.layers(), -0.5);
        double fcStd = Math.pow(2 * r.width(), -0.5);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String n = e.getKey();
            int size = 1;
            for (long d : e.getValue()) {
                size *= (int) d;
            }
            float[] v = new float[size];
            if (n.endsWith("ln_1.weight") || n.endsWith("ln_2.weight") || n.equals("ln_pre.weight") || n.equals("ln_post.weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (!n.endsWith("bias")) {
                double std = n.endsWith("in_proj_weight") || n.equals("proj") || n.equals("class_embedding") ? attnStd
                        : n.endsWith("out_proj.weight") || n.endsWith("c_proj.weight") ? projStd
                        : n.endsWith("c_fc.weight") ? fcStd
                        : n.equals("positional_embedding") ? 0.01
                        : Math.pow(channels * r.patch() * r.patch(), -0.5);
                for (int i = 0; i < size; i++) {
                    v[i] = (float) (rnd.nextGaussian() * std);
                }
            }
            out.put(n, v);
        }
        return out;
    }
}
