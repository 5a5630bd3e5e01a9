package org.taulab.dsl.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import tech.tablesaw.api.Table;

/** Every learned merge in quick mode on the committed mini8 zoo, with assertions on what its history must show. */
class LearnedMergesQuickTest {
    private static final LearnSetup SETUP = LearnSetup.of(Zoo.open("mini8"), true, false, Progress.NONE);

    @Test
    void atlasLowersItsLossMovesItsCoefficientsAndKeepsTheBestValEpoch() {
        LearnResult r = new Atlas().with("epochs", 3).run(SETUP);
        List<EpochRecord> epochs = r.history().epochs();
        assertEquals(3, epochs.size());
        assertTrue(epochs.get(2).loss() < epochs.get(0).loss(), "loss " + epochs.get(0).loss() + " -> " + epochs.get(2).loss());
        assertTrue(epochs.get(0).coefficientNorm() > 0, "coefficients moved from their init 0");
        int kept = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        int best = -1;
        for (int i = 0; i < epochs.size(); i++) {
            if (r.history().kept(i)) {
                kept = i;
            }
            if (epochs.get(i).valNormalized() > bestScore) {
                bestScore = epochs.get(i).valNormalized();
                best = i;
            }
        }
        assertEquals(best, kept, "the kept epoch is the best on val");
        assertEquals(epochs.get(kept).val(), r.finalVal());
        // The returned weights are the kept coefficients': re-measuring them gives the recorded val accuracies.
        assertEquals(r.finalVal(), SETUP.valAccuracy(r.weights(), SETUP.taskNames()));
        Table t = r.table();
        assertTrue(t.columnNames().containsAll(List.of("iteration", "epoch", "loss", "val_accuracy", "val_fashion", "coef_norm")));
    }

    @Test
    void adamergingStartsAtTaskArithmeticAndIsDeterministicUnderItsSeed() {
        AdaMerging ada = AdaMerging.taskArithmetic().with("steps", 12).with("granularity", "task");
        LearnResult a = ada.run(SETUP);
        LearnResult b = ada.run(SETUP);
        // init 0.3 per task: θ_0 is task arithmetic at λ = 0.3
        Weights ta = SETUP.pretrained().plus(org.taulab.Tau.sum(SETUP.finetuned(SETUP.taskNames()).stream()
                .map(w -> w.minus(SETUP.pretrained())).toList()).times(0.3));
        assertEquals(SETUP.valAccuracy(ta, SETUP.taskNames()), a.initialVal());
        String name = "transformer.resblocks.2.attn.out_proj.weight";
        assertArrayEquals(a.weights().get(name).toFloatArray(), b.weights().get(name).toFloatArray(), 0f, "same seed, same result");
        assertTrue(a.history().epochs().get(a.history().size() - 1).steps() == 12);
        // the unsupervised loss is an entropy: between 0 and the sum of log(classes) over the tasks
        assertTrue(a.history().epochs().get(0).loss() > 0);
    }

    @Test
    void adamergingCartStartsAtCart() {
        LearnResult r = AdaMerging.cart().with("steps", 6).run(SETUP);
        Weights cart = new org.taulab.dsl.merge.CartMerge().merge(new org.taulab.dsl.merge.MergeInputs(null, SETUP.finetuned(SETUP.taskNames()), SETUP.taskNames()));
        Map<String, Double> expected = SETUP.valAccuracy(cart, SETUP.taskNames());
        for (String t : SETUP.taskNames()) {
            assertEquals(expected.get(t), r.initialVal().get(t), 1.0 / 128 + 1e-9, t);
        }
        assertEquals(1, r.history().size());
    }

    @Test
    void dvbasiRunsItsIterationsFromAnyStartAndRecordsEveryEpoch() {
        Weights theta0 = SETUP.pretrained().plus(SETUP.finetuned("digits").minus(SETUP.pretrained()).times(0.5));
        LearnResult r = new DvBasi().with("iterations", 2).with("epochs", 2).with("patience", 0).run(SETUP, theta0);
        List<EpochRecord> e = r.history().epochs();
        assertEquals(4, e.size());
        assertEquals(List.of(1, 1, 2, 2), e.stream().map(EpochRecord::iteration).toList());
        assertEquals(SETUP.valAccuracy(theta0, SETUP.taskNames()), r.initialVal());
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < e.size(); i++) {
            if (r.history().kept(i)) {
                best = Math.max(best, e.get(i).valNormalized());
            }
        }
        assertEquals(best, Selection.normalized(SETUP.individualVal()).score(r.finalVal()), 1e-12, "the best θ_m (m ≥ 1) by val is returned");
        assertEquals(3, r.iterates().size(), "θ_0, θ_1, θ_2");
    }

    @Test
    void earlyStoppingStopsWhenValStopsImproving() {
        // A learning rate too small to change a prediction: val never improves after the first epoch.
        LearnResult r = new DvBasi().with("iterations", 1).with("epochs", 3).with("patience", 1).with("lr", 1e-12).with("alpha", 0.0)
                .run(SETUP, SETUP.pretrained());
        assertEquals(2, r.history().size(), "stopped after one epoch without improvement");
    }

    @Test
    void mooAndIsotropicAndRandomVariantsRun() {
        Weights theta0 = SETUP.finetuned("fashion");
        LearnResult moo = new DvBasi().with("iterations", 1).with("epochs", 1).with("moo", true).run(SETUP, theta0);
        assertTrue(moo.history().epochs().get(0).coefficientNorm() > 0);
        LearnResult iso = new DvBasi().with("iterations", 1).with("epochs", 1).with("scaling", "isotropic").run(SETUP, theta0);
        assertEquals(0.1, iso.history().epochs().get(0).coefficientNorm(), 0.07, "one scalar near its init α");
        LearnResult random = new DvBasi().with("iterations", 1).with("epochs", 1).with("scaling", "random").run(SETUP, theta0);
        assertEquals(1, random.history().size());
    }

    @Test
    void negationKeepsControlAboveTheFloorAndLowersTheTarget() {
        String target = "digits";
        LearnResult r = new DvBasi().with("iterations", 1).with("epochs", 2).negate(SETUP, target, null);
        double floor = 0.95 * Selection.controlAccuracy(SETUP.pretrainedVal(), target);
        assertTrue(Selection.controlAccuracy(r.finalVal(), target) >= floor, "control " + r.finalVal());
        assertTrue(r.finalVal().get(target) < SETUP.pretrainedVal().get(target), "target below pretrained: " + r.finalVal());
        for (int i = 0; i < r.history().size(); i++) {
            if (r.history().kept(i)) {
                assertTrue(Selection.controlAccuracy(r.history().epochs().get(i).val(), target) >= floor);
            }
        }
    }

    @Test
    void unknownParametersAndBadValuesAreOneLineErrors() {
        TauLabException e = assertThrows(TauLabException.class, () -> new DvBasi().with("iteration", 3));
        assertTrue(e.getMessage().contains("unknown parameter 'iteration'") && e.getMessage().contains("iterations"), e.getMessage());
        e = assertThrows(TauLabException.class, () -> new Atlas().with("epochs", "many"));
        assertTrue(e.getMessage().contains("epochs must be an integer"), e.getMessage());
        e = assertThrows(TauLabException.class, () -> new DvBasi().with("scaling", "diagonal").run(SETUP, SETUP.pretrained()));
        assertTrue(e.getMessage().contains("anisotropic, isotropic, random"), e.getMessage());
    }
}
