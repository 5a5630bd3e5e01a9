package org.taulab.dsl.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.model.ClassifierHead;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.train.Batches;
import org.taulab.dsl.train.Losses;
import org.taulab.dsl.zoo.Zoo;

/** The parameterization θ = base + Σ Λ ⊙ dir: its values by hand and its gradient against finite differences. */
class CoefficientModelTest {
    private static final Zoo ZOO = Zoo.open("mini8");

    @Test
    void materializedWeightsAreBasePlusScaledDirectionsPerTensor() {
        Weights pre = ZOO.pretrained();
        TaskVector t1 = ZOO.finetuned("fashion").minus(pre);
        TaskVector t2 = ZOO.finetuned("digits").minus(pre);
        try (CoefficientModel model = new CoefficientModel(pre, List.of(t1, t2), true, 0.0)) {
            int blocks = model.tensorNames().size();
            float[] lambda = new float[2 * blocks];
            for (int b = 0; b < blocks; b++) {
                lambda[b] = 0.1f * (b % 3);
                lambda[blocks + b] = -0.2f + 0.05f * (b % 2);
            }
            model.setCoefficients(lambda);
            Weights w = model.materialize("m", java.util.Map.of());
            for (int b : new int[] {0, 5, blocks - 1}) {
                String name = model.tensorNames().get(b);
                float[] expected = pre.get(name).toFloatArray();
                float[] d1 = t1.get(name).toFloatArray();
                float[] d2 = t2.get(name).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += lambda[b] * d1[i] + lambda[blocks + b] * d2[i];
                }
                assertArrayEquals(expected, w.get(name).toFloatArray(), 1e-6f, name);
                try (NDManager m = Tensors.scope()) {
                    assertArrayEquals(expected, model.parameters(m).apply(name).toFloatArray(), 1e-6f, "forward view of " + name);
                }
            }
        }
    }

    @Test
    void atZeroTheModelIsItsBaseAndIsotropicUsesOneCoefficient() {
        Weights pre = ZOO.pretrained();
        Weights ft = ZOO.finetuned("glyph-style");
        try (CoefficientModel zero = new CoefficientModel(pre, List.of(ft.minus(pre)), true, 0.0);
             CoefficientModel one = new CoefficientModel(pre, List.of(ft.minus(pre)), false, 1.0)) {
            assertEquals(1, one.coefficientValues().length);
            String name = "transformer.resblocks.1.mlp.c_fc.weight";
            assertArrayEquals(pre.get(name).toFloatArray(), zero.materialize("z", java.util.Map.of()).get(name).toFloatArray(), 0f);
            // base + 1·(ft − base) is ft again (up to float rounding)
            assertArrayEquals(ft.get(name).toFloatArray(), one.materialize("o", java.util.Map.of()).get(name).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void coefficientGradientsMatchCentralFiniteDifferences() {
        Weights pre = ZOO.pretrained();
        List<TaskVector> dirs = List.of(ZOO.finetuned("fashion").minus(pre), ZOO.finetuned("glyph-letters").minus(pre));
        ClipVit vit = new ClipVit(VitConfig.of(pre));
        ZooEvaluator ev = ZooEvaluator.of(ZOO);
        TaskData task = ev.data().get(0);
        ImageSet batch = task.val().first(12);
        NDArray head = ev.headWeight(task.name());
        NDArray bias = ev.headBias(task.name());
        try (CoefficientModel model = new CoefficientModel(pre, dirs, true, 0.3)) {
            int blocks = model.tensorNames().size();
            float[] start = model.coefficientValues();
            for (int i = 0; i < start.length; i++) {
                start[i] = 0.1f + 0.02f * (i % 7);
            }
            model.setCoefficients(start);
            float[] grad;
            try (NDManager m = Tensors.scope()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(loss(vit, model.parameters(m), m, batch, head, bias));
                }
                NDArray g = model.coefficients().getGradient();
                g.attach(m);
                grad = g.toFloatArray();
                g.muli(0);
            }
            int checked = 0;
            for (int idx : new int[] {names(model, "conv1.weight"), names(model, "transformer.resblocks.0.attn.in_proj_weight"),
                    blocks + names(model, "transformer.resblocks.3.mlp.c_fc.weight"), blocks + names(model, "proj")}) {
                double h = 1e-2;
                double plus = lossAt(vit, model, start, idx, h, batch, head, bias);
                double minus = lossAt(vit, model, start, idx, -h, batch, head, bias);
                double numeric = (plus - minus) / (2 * h);
                assertTrue(Math.abs(numeric) > 1e-4, "a gradient worth checking at block " + idx + ": " + numeric);
                assertEquals(numeric, grad[idx], 0.03 * Math.abs(numeric) + 1e-4, "dL/dΛ at block " + idx);
                checked++;
            }
            assertEquals(4, checked);
        }
    }

    private static int names(CoefficientModel model, String name) {
        int i = model.tensorNames().indexOf(name);
        assertTrue(i >= 0, name);
        return i;
    }

    private static double lossAt(ClipVit vit, CoefficientModel model, float[] start, int idx, double h, ImageSet batch, NDArray head, NDArray bias) {
        float[] moved = start.clone();
        moved[idx] += (float) h;
        model.setCoefficients(moved);
        try (NDManager m = Tensors.scope()) {
            return loss(vit, model.parameters(m), m, batch, head, bias).getFloat();
        } finally {
            model.setCoefficients(start);
        }
    }

    private static NDArray loss(ClipVit vit, Function<String, NDArray> params, NDManager m, ImageSet batch, NDArray head, NDArray bias) {
        NDArray images = Batches.images(m, batch, null, 0, batch.count());
        NDArray logits = ClassifierHead.logits(vit.features(params, images), head, bias);
        return Losses.crossEntropy(logits, Batches.labels(m, batch, null, 0, batch.count()));
    }
}
