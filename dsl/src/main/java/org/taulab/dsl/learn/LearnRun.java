package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.dsl.tensor.Weights;

/** The single-stage learned merges' common run: build the parameterization, train it, keep the result. */
final class LearnRun {
    private LearnRun() {
    }

    static List<String> names(List<LearnTask> tasks) {
        List<String> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.name()));
        return out;
    }

    static LearnResult single(String method, LearnOptions options, LearnSetup setup, Weights base, List<? extends StateDict> directions,
                              boolean perTensor, double init, TrainConfig config, List<LearnTask> tasks, Selection selection) {
        long start = System.nanoTime();
        History history = new History(names(tasks));
        CoefficientTrainer trainer = new CoefficientTrainer(setup.vit(), tasks, setup.individualVal(), setup.progress());
        try (CoefficientModel model = new CoefficientModel(base, directions, perTensor, init)) {
            Map<String, Double> initial = trainer.evaluate(model);
            history.start(CoefficientTrainer.mean(initial), trainer.normalized(initial));
            CoefficientTrainer.Outcome kept = trainer.train(model, config, selection, 1, history, method, start);
            Weights weights = model.materialize(method, LearnResult.metadata(method, options.asMap()));
            return new LearnResult(method, options.asMap(), weights, history, initial, kept == null ? trainer.evaluate(model) : kept.val(),
                    List.of(base, weights));
        }
    }
}
