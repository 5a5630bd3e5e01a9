package org.taulab.dsl.zoo;

import org.taulab.dsl.TauLabException;

/**
 * Stops a training stage at its first non-finite loss. A diverged step leaves NaN in every weight it touches, and
 * without this check the build would go on for the rest of its hour on a broken encoder and fail only when the
 * card reads the files.
 */
final class Divergence {
    private Divergence() {
    }

    /** Throws, naming the stage, the step and the learning-rate key to lower, when {@code loss} is NaN or infinite. */
    static void check(float loss, String stage, long step, long total, String lrKey, double lr) {
        if (!Float.isFinite(loss)) {
            throw new TauLabException("zoo build: " + stage + " diverged at step " + step + " of " + total + " (loss " + loss
                    + "); try a lower " + lrKey + " than " + lr);
        }
    }
}
