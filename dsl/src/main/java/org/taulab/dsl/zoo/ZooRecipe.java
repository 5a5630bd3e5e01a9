package org.taulab.dsl.zoo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a built zoo: architecture, pretext pretraining, head fitting and
 * fine-tuning schedules, and the seed. {@link #standard()} builds the committed mini8 zoo;
 * {@link #quick()} a tiny one for tests.
 */
public record ZooRecipe(String benchmark, int width, int layers, int heads, int patch, int embed,
                        int pretrainPerTask, int pretrainEpochs, double pretrainLr,
                        int headSteps, double headLr,
                        int finetuneLimit, int finetuneEpochs, double finetuneLr, double weightDecay,
                        int batch, long seed) {

    public static ZooRecipe standard() {
        return new ZooRecipe("mini8", 128, 4, 2, 7, 64, 4000, 3, 1e-3, 400, 0.05, 20000, 2, 5e-4, 0.1, 64, 7);
    }

    public static ZooRecipe quick() {
        return new ZooRecipe("mini8", 32, 2, 2, 7, 16, 200, 1, 2e-3, 60, 0.05, 300, 1, 1e-3, 0.1, 32, 7);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchmark);
        m.put("width", width);
        m.put("layers", layers);
        m.put("heads", heads);
        m.put("patch", patch);
        m.put("embed", embed);
        m.put("pretext", "rotation prediction (4-way) over pooled train images, no task labels");
        m.put("pretrain_per_task", pretrainPerTask);
        m.put("pretrain_epochs", pretrainEpochs);
        m.put("pretrain_lr", pretrainLr);
        m.put("head_steps", headSteps);
        m.put("head_lr", headLr);
        m.put("finetune_limit", finetuneLimit);
        m.put("finetune_epochs", finetuneEpochs);
        m.put("finetune_lr", finetuneLr);
        m.put("weight_decay", weightDecay);
        m.put("batch", batch);
        m.put("seed", seed);
        return m;
    }
}
