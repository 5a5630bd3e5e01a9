package org.taulab.dsl.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.synthetic.SyntheticCheckpoints;
import org.taulab.dsl.tensor.Weights;

class ZooDivergenceTest {
    private static final int SIDE = 28;
    private static final int IMAGES = 64;

    @Test
    void anInfiniteLearningRateStopsPretrainingAtItsFirstNonFiniteLossNamingTheStepAndTheKey() {
        // An AdamW step of infinite size makes the weights ±∞ (and ∞·0 = NaN where a moment is zero), so the
        // second step's loss is the first one that cannot be finite.
        ZooRecipe recipe = ZooRecipe.quick().with(Map.of("pretrain_lr", Double.POSITIVE_INFINITY, "pretrain_epochs", 3));
        TauLabException e = assertThrows(TauLabException.class, () -> pretrain(recipe));
        assertEquals("zoo build: pretraining diverged at step 2 of 3 (loss NaN); try a lower pretrain_lr than Infinity", e.getMessage());
    }

    @Test
    void aFiniteRunPassesTheCheckAndGivesFiniteWeights() {
        Weights w = pretrain(ZooRecipe.quick().with(Map.of("pretrain_epochs", 3)));
        for (String name : w.floatKeys()) {
            try (ai.djl.ndarray.NDManager m = org.taulab.dsl.tensor.Tensors.scope()) {
                for (float v : w.compute(name, m).toFloatArray()) {
                    assertTrue(Float.isFinite(v), name);
                }
            }
        }
    }

    @Test
    void theCheckLetsFiniteLossesByAndNamesAFineTuningStage() {
        Divergence.check(1e30f, "fine-tuning digits", 5, 10, "finetune_lr", 1e-3);
        TauLabException e = assertThrows(TauLabException.class,
                () -> Divergence.check(Float.POSITIVE_INFINITY, "fine-tuning digits", 5, 10, "finetune_lr", 1e-3));
        assertEquals("zoo build: fine-tuning digits diverged at step 5 of 10 (loss Infinity); try a lower finetune_lr than 0.001", e.getMessage());
    }

    /** One epoch per pretrain_batch images: pretrain_epochs steps in all. */
    private static Weights pretrain(ZooRecipe recipe) {
        int grid = SIDE / recipe.patch();
        ClipVit vit = new ClipVit(new VitConfig(recipe.width(), 1, recipe.patch(), grid, recipe.layers(), recipe.heads(), recipe.embed(), "quick_gelu"));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        SyntheticCheckpoints.vitShapes(recipe.width(), recipe.layers(), recipe.patch(), grid * grid + 1, recipe.embed()).forEach(shapes::put);
        shapes.put("conv1.weight", new long[] {recipe.width(), 1, recipe.patch(), recipe.patch()});
        float[] px = new float[IMAGES * SIDE * SIDE];
        Random r = new Random(3);
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        ImageSet pool = new ImageSet(px, new int[IMAGES], IMAGES, SIDE, SIDE);
        return new ZooBuilder(recipe, Progress.NONE).pretrainContrastive(vit, VitInit.init(recipe, 1, grid), shapes, pool, 0);
    }
}
