package org.taulab.dsl.merge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.model.ClassifierHead;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.ScopedParams;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.train.Batches;
import org.taulab.dsl.train.TrainableWeights;

/**
 * Fisher merging (Matena &amp; Raffel, NeurIPS 2022): {@code θ = Σ_t F_t ⊙ θ_t / Σ_t F_t} per entry, with F_t the
 * diagonal Fisher of model t (its encoder and its task's frozen head) on {@code samples} val images of its task:
 * the mean over images of the squared gradient of {@code log p(y | x)}, one image at a time, y drawn from the
 * model's own prediction (seeded). Entries where every Fisher is zero take the plain average. No base needed.
 * Inputs and heads come from a zoo ({@link TaskInputs}), so the encoder's embedding must fit the zoo's heads.
 */
public record FisherMerge(String zoo, int samples, String tasks, int seed) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("fisher").order(190)
            .summary("Σ_t F_t θ_t / Σ_t F_t per entry, F_t the diagonal Fisher of model t on task t's val images, labels drawn from its predictions (no base needed)")
            .source("Matena & Raffel 2022, Merging models with Fisher-weighted averaging")
            .param(TaskInputs.ZOO)
            .param(TaskInputs.SAMPLES)
            .param(TaskInputs.TASKS)
            .param(ParamSpec.integer("seed", 0, 0, Integer.MAX_VALUE, "seed of the sampled labels"))
            .build(v -> new FisherMerge(v.text("zoo"), v.integer("samples"), v.text("tasks"), v.integer("seed")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        TaskInputs.put(p, zoo, samples, tasks);
        p.put("seed", seed);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        TaskInputs data = TaskInputs.of(method(), in, zoo, samples, tasks);
        List<Map<String, float[]>> fishers = new ArrayList<>();
        for (int t = 0; t < in.count(); t++) {
            fishers.add(fisher(in.finetuned().get(t), data.head(t), data.images().get(t), seed * 1_000_003L + t));
        }
        Weights avg = in.average();
        return in.build(method(), metadata(), (name, m) -> {
            if (!fishers.get(0).containsKey(name)) {
                return avg.compute(name, m);
            }
            float[] mean = avg.compute(name, m).toFloatArray();
            double[] num = new double[mean.length];
            double[] den = new double[mean.length];
            for (int t = 0; t < in.count(); t++) {
                float[] f = fishers.get(t).get(name);
                float[] theta = in.finetuned().get(t).compute(name, m).toFloatArray();
                for (int i = 0; i < f.length; i++) {
                    num[i] += (double) f[i] * theta[i];
                    den[i] += f[i];
                }
            }
            float[] out = new float[mean.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = den[i] > 0 ? (float) (num[i] / den[i]) : mean[i];
            }
            return m.create(out, new ai.djl.ndarray.types.Shape(in.layout().entry(name).shape()));
        });
    }

    /** The diagonal Fisher of every float tensor of {@code model}, one image at a time. */
    static Map<String, float[]> fisher(Weights model, Weights head, ImageSet images, long seed) {
        ClipVit vit = new ClipVit(VitConfig.of(model));
        Random rnd = new Random(seed);
        NDManager root = Tensors.root();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (TrainableWeights w = TrainableWeights.from(root, model);
             NDManager headScope = root.newSubManager()) {
            NDArray hw = head.compute("weight", headScope);
            NDArray hb = head.entries().containsKey("bias") ? head.compute("bias", headScope) : null;
            List<String> names = new ArrayList<>(model.floatKeys());
            for (int i = 0; i < images.count(); i++) {
                try (NDManager m = Tensors.scope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logp = ClassifierHead.logits(vit.features(ScopedParams.in(m, w::get), Batches.images(m, images, null, i, i + 1)),
                                hw, hb).logSoftmax(-1);
                        int y = sample(logp.toFloatArray(), rnd);
                        gc.backward(logp.get(0, y));
                    }
                    for (String name : names) {
                        NDArray g = w.get(name).getGradient();
                        float[] sq = g.square().toFloatArray();
                        float[] acc = out.computeIfAbsent(name, k -> new float[sq.length]);
                        for (int k = 0; k < sq.length; k++) {
                            acc[k] += sq[k] / images.count();
                        }
                        g.muli(0);
                    }
                }
            }
        }
        return out;
    }

    static int sample(float[] logp, Random rnd) {
        double u = rnd.nextDouble();
        double c = 0;
        for (int k = 0; k < logp.length; k++) {
            c += Math.exp(logp[k]);
            if (u < c) {
                return k;
            }
        }
        return logp.length - 1;
    }
}
