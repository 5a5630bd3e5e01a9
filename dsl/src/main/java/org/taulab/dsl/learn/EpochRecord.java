package org.taulab.dsl.learn;

import java.util.Map;

/**
 * One epoch of coefficient learning: its outer iteration (DV-BASI; 1 for single-stage methods), epoch within
 * it, optimizer steps so far, mean training loss, val accuracy per task, their mean and normalized mean, the
 * coefficients' norm and the wall time since the run started.
 */
public record EpochRecord(int iteration, int epoch, long steps, double loss, Map<String, Double> val, double valAccuracy,
                          double valNormalized, double coefficientNorm, double seconds) {
}
