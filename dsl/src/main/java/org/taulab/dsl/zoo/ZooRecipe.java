package org.taulab.dsl.zoo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a built zoo: architecture, pretext pretraining, head fitting and
 * fine-tuning schedules, and the seed. {@link #standard()} is the recipe of the mini8 zoo (and the base every
 * zoo.yaml {@code build:} section is read over);
 * {@link #quick()} a tiny one for tests.
 *
 * <p>{@code pretext} is {@code contrastive} (two augmented views per image, InfoNCE at {@code temperature},
 * label-free) or {@code captioned} (the same, plus CLIP's image-to-caption loss on fresh renders of the glyph
 * tasks' characters, each captioned by the character it shows, which replace those tasks' train images in the pool;
 * no task label is used); {@code pretrainColour} is the probability of a colour distortion of each view. {@code head} is
 * {@code prototype} (normalized, centred class means of the pretrained features times {@code headScale}, the
 * zero-shot-head analog) or {@code logistic} (logistic regression on the features with logit scale
 * {@code headScale}); {@code headShots} &gt; 0 fits it on that many train images per class only (an imperfect head,
 * as CLIP's text-derived ones are), 0 on all. Learning rates warm up linearly over {@code warmup} of the steps, then follow a cosine
 * to zero.
 */
public record ZooRecipe(String benchmark, int width, int layers, int heads, int patch, int embed,
                        String pretext, int pretrainPerTask, int pretrainEpochs, double pretrainLr, int pretrainBatch,
                        double pretrainColour,
                        double temperature,
                        String head, double headScale, int headSteps, double headLr, int headShots,
                        int finetuneLimit, int finetuneSteps, double finetuneLr, double weightDecay, double warmup,
                        boolean finetuneAugment, int batch, long seed) {

    public static ZooRecipe standard() {
        return new ZooRecipe("mini8", 128, 4, 2, 7, 64,
                "contrastive", 4000, 2, 1e-3, 128, 0, 0.2,
                "prototype", 20, 400, 0.05, 0,
                20000, 600, 1e-3, 0.1, 0.1,
                true, 64, 7);
    }

    public static ZooRecipe quick() {
        return new ZooRecipe("mini8", 32, 2, 2, 7, 16,
                "contrastive", 200, 1, 2e-3, 64, 0, 0.2,
                "prototype", 20, 60, 0.05, 0,
                300, 10, 1e-3, 0.1, 0.1,
                false, 32, 7);
    }

    /**
     * This recipe with some values changed (keys as in {@link #asMap()}); a zoo.yaml {@code build:} section read
     * over {@link #standard()} gives that zoo's recipe. An unknown key or a value of the wrong kind is an error
     * naming the key.
     */
    public ZooRecipe with(Map<String, Object> changes) {
        Map<String, Object> m = asMap();
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            Object old = m.get(e.getKey());
            if (!m.containsKey(e.getKey())) {
                throw new org.taulab.dsl.TauLabException("zoo recipe: unknown key '" + e.getKey() + "' (keys: " + String.join(", ", m.keySet()) + ")");
            }
            Object v = e.getValue();
            boolean fits = old instanceof String ? v instanceof String : old instanceof Boolean ? v instanceof Boolean : v instanceof Number;
            if (!fits) {
                throw new org.taulab.dsl.TauLabException("zoo recipe: '" + e.getKey() + "' must be " + (old instanceof String ? "text"
                        : old instanceof Boolean ? "true or false" : "a number") + ", got " + v);
            }
            m.put(e.getKey(), v);
        }
        return new ZooRecipe((String) m.get("benchmark"), num(m, "width"), num(m, "layers"), num(m, "heads"), num(m, "patch"),
                num(m, "embed"), (String) m.get("pretext"), num(m, "pretrain_per_task"), num(m, "pretrain_epochs"),
                dbl(m, "pretrain_lr"), num(m, "pretrain_batch"), dbl(m, "pretrain_colour"), dbl(m, "temperature"), (String) m.get("head"),
                dbl(m, "head_scale"), num(m, "head_steps"), dbl(m, "head_lr"), num(m, "head_shots"), num(m, "finetune_limit"),
                num(m, "finetune_steps"), dbl(m, "finetune_lr"), dbl(m, "weight_decay"), dbl(m, "warmup"),
                (Boolean) m.get("finetune_augment"), num(m, "batch"), ((Number) m.get("seed")).longValue());
    }

    private static int num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).intValue();
    }

    private static double dbl(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchmark);
        m.put("width", width);
        m.put("layers", layers);
        m.put("heads", heads);
        m.put("patch", patch);
        m.put("embed", embed);
        m.put("pretext", pretext);
        m.put("pretrain_per_task", pretrainPerTask);
        m.put("pretrain_epochs", pretrainEpochs);
        m.put("pretrain_lr", pretrainLr);
        m.put("pretrain_batch", pretrainBatch);
        m.put("pretrain_colour", pretrainColour);
        m.put("temperature", temperature);
        m.put("head", head);
        m.put("head_scale", headScale);
        m.put("head_steps", headSteps);
        m.put("head_lr", headLr);
        m.put("head_shots", headShots);
        m.put("finetune_limit", finetuneLimit);
        m.put("finetune_steps", finetuneSteps);
        m.put("finetune_lr", finetuneLr);
        m.put("weight_decay", weightDecay);
        m.put("warmup", warmup);
        m.put("finetune_augment", finetuneAugment);
        m.put("batch", batch);
        m.put("seed", seed);
        return m;
    }
}
