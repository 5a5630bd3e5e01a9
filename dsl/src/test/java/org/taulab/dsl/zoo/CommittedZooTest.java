package org.taulab.dsl.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.Progress;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.merge.AverageMerge;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.TaskArithmeticMerge;
import org.taulab.dsl.tensor.Weights;

/**
 * The committed mini8 zoo is intact and is a good merging benchmark: its accuracies, recomputed here on
 * test, match its manifest and meet the targets (pretrained 35–75 %, individual ≥ 85 % and every task ≥ 10
 * points above pretrained, task arithmetic at the recorded λ ≥ 8 points below individual, averaging below
 * task arithmetic).
 */
class CommittedZooTest {
    @Test
    void committedZooMeetsItsTargets() {
        Zoo zoo = Zoo.open("mini8");
        assertEquals(17, ZooVerifier.verify(zoo));
        ZooEvaluator ev = ZooEvaluator.of(zoo);
        Map<String, Double> pre = ev.accuracies(zoo.pretrained(), "test", Progress.NONE);
        Map<String, Double> ind = ev.individual("test");
        double preAvg = 100 * pre.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double indAvg = 100 * ind.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        Map<String, Object> measured = zoo.manifest().measured();
        assertEquals(((Number) measured.get("pretrained_avg")).doubleValue(), preAvg, 0.06, "pretrained as recorded");
        assertEquals(((Number) measured.get("individual_avg")).doubleValue(), indAvg, 0.06, "individual as recorded");
        assertTrue(preAvg >= 35 && preAvg <= 75, "pretrained average " + preAvg);
        assertTrue(indAvg >= 85, "individual average " + indAvg);
        for (String t : zoo.tasks()) {
            assertTrue(100 * (ind.get(t) - pre.get(t)) >= 10, t + ": fine-tuning gains " + 100 * (ind.get(t) - pre.get(t)) + " points");
        }
        MergeInputs in = new MergeInputs(zoo.pretrained(), new ArrayList<>(zoo.finetuned().values()), zoo.tasks());
        double lambda = ((Number) measured.get("task_arithmetic_lambda_on_val")).doubleValue();
        Weights ta = new TaskArithmeticMerge().lambda(lambda).merge(in);
        double taAvg = 100 * ev.averageAccuracy(ta, "test");
        double avgAvg = 100 * ev.averageAccuracy(new AverageMerge().merge(in), "test");
        assertTrue(taAvg <= indAvg - 8, "task arithmetic " + taAvg + " vs individual " + indAvg);
        assertTrue(avgAvg < taAvg, "weight averaging " + avgAvg + " vs task arithmetic " + taAvg);
    }
}
