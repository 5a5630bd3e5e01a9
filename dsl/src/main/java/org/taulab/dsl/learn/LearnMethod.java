package org.taulab.dsl.learn;

import org.taulab.dsl.tensor.Weights;

/**
 * A learned merge as every front door offers it ({@code taulab learn NAME}, {@code %%tau} as {@link #javaName},
 * {@link org.taulab.Learning#learn}): its name, what it starts from, its options with their defaults, and how it
 * runs. A learned-merge class declares its entries as {@code public static final LearnMethod} fields, which is how
 * {@link LearnCatalogue} finds them.
 */
public record LearnMethod(String name, String summary, Start start, LearnOptions defaults, Runner runner) {
    /** What the method needs besides the zoo. */
    public enum Start {
        /** Nothing: it learns from the zoo's models alone. */
        NONE,
        /** A merged θ_0 to improve (any merge's weights). */
        THETA0,
        /** A target task, and optionally a θ_0. */
        TARGET,
        /** One task (its own fine-tuned model is the start). */
        TASK
    }

    /** Runs the method; {@code theta0} and {@code task} are null when its {@link Start} does not use them. */
    @FunctionalInterface
    public interface Runner {
        LearnResult run(LearnSetup setup, LearnOptions options, Weights theta0, String task);
    }

    /** The name in Java and {@code %%tau}: {@code adamerging-cart} is {@code adamergingCart}. */
    public String javaName() {
        return org.taulab.dsl.merge.MergeMethod.camel(name);
    }

    public LearnResult run(LearnSetup setup, LearnOptions options, Weights theta0, String task) {
        return runner.run(setup, options, theta0, task);
    }
}
