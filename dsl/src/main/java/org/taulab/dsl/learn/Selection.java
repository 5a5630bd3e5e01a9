package org.taulab.dsl.learn;

import java.util.Map;

/**
 * How an epoch's val accuracies are judged when keeping the best coefficients: a score to maximize and a
 * constraint an epoch must meet to be kept at all (task negation's control-accuracy floor).
 */
public interface Selection {
    double score(Map<String, Double> valAccuracy);

    default boolean admissible(Map<String, Double> valAccuracy) {
        return true;
    }

    /** Mean normalized accuracy: each task's accuracy over its fine-tuned model's, averaged. */
    static Selection normalized(Map<String, Double> individual) {
        return acc -> acc.entrySet().stream().mapToDouble(e -> e.getValue() / individual.getOrDefault(e.getKey(), 1.0)).average().orElse(0);
    }

    /** Negation: the lowest target accuracy among epochs whose mean control accuracy stays ≥ {@code floor}. */
    static Selection negation(String target, double floor) {
        return new Selection() {
            @Override
            public double score(Map<String, Double> acc) {
                return -acc.get(target);
            }

            @Override
            public boolean admissible(Map<String, Double> acc) {
                return controlAccuracy(acc, target) >= floor;
            }
        };
    }

    /** The mean accuracy over every task but {@code target}. */
    static double controlAccuracy(Map<String, Double> acc, String target) {
        return acc.entrySet().stream().filter(e -> !e.getKey().equals(target)).mapToDouble(Map.Entry::getValue).average().orElse(Double.NaN);
    }
}
