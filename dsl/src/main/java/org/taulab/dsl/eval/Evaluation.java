package org.taulab.dsl.eval;

import java.util.Map;

/** One encoder's accuracy per task (fractions in [0, 1]), beside each task's own fine-tuned model's on the same images. */
public record Evaluation(Map<String, Double> accuracy, Map<String, Double> individual) {
    /** Mean accuracy over the evaluated tasks. */
    public double average() {
        return accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Mean over tasks of accuracy / individual accuracy. */
    public double normalized() {
        return accuracy.entrySet().stream().mapToDouble(e -> e.getValue() / individual.get(e.getKey())).average().orElse(Double.NaN);
    }

    public double of(String task) {
        Double a = accuracy.get(task);
        if (a == null) {
            throw new org.taulab.dsl.TauLabException("no accuracy for task '" + task + "' (tasks: " + String.join(", ", accuracy.keySet()) + ")");
        }
        return a;
    }
}
