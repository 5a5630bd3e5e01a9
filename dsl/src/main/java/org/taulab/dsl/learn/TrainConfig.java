package org.taulab.dsl.learn;

/**
 * How one run of coefficient learning optimizes: AdamW (weight decay 0 is Adam), epochs with early stopping
 * on val ({@code patience} 0 = never stop early), {@code batch} images per task per step, the seed of the batch
 * order, MGDA's min-norm combination of per-task gradients ({@code moo}), an optional step budget that
 * overrides epochs ({@code maxSteps} 0 = none), and whether the best epoch on val is kept (else the last).
 */
public record TrainConfig(double lr, double weightDecay, int epochs, int patience, int batch, long seed, boolean moo,
                          int maxSteps, boolean keepBest) {
    public TrainConfig {
        if (!(lr > 0) || weightDecay < 0 || epochs < 1 || patience < 0 || batch < 1 || maxSteps < 0) {
            throw new org.taulab.dsl.TauLabException("learned merge: invalid training settings " + this);
        }
    }

    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(lr, weightDecay, epochs, patience, batch, newSeed, moo, maxSteps, keepBest);
    }
}
