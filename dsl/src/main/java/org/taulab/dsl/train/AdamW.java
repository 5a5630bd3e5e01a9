package org.taulab.dsl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (AdamW; weight decay 0 gives Adam), updating parameters in place from
 * their accumulated gradients and zeroing the gradients afterwards (DJL accumulates them across steps).
 */
public final class AdamW implements AutoCloseable {
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager state;
    private final Map<NDArray, NDArray[]> moments = new IdentityHashMap<>();
    private int steps;

    public AdamW(NDManager parent, double lr, double weightDecay) {
        this(parent, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    public AdamW(NDManager parent, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.state = parent.newSubManager();
    }

    /** The learning rate of the next steps (for warmup and decay schedules). */
    public void learningRate(double lr) {
        this.lr = lr;
    }

    public double learningRate() {
        return lr;
    }

    public int steps() {
        return steps;
    }

    public void step(List<NDArray> params) {
        steps++;
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        for (NDArray p : params) {
            NDArray[] mv = moments.computeIfAbsent(p, k -> new NDArray[] {state.zeros(p.getShape()), state.zeros(p.getShape())});
            try (NDManager scratch = state.newSubManager()) {
                NDArray g = p.getGradient();
                g.attach(scratch);
                // Temporaries land in the manager of an operation's first array: keep all of them in scratch.
                mv[0].tempAttach(scratch);
                mv[1].tempAttach(scratch);
                mv[0].muli(beta1).addi(g.mul(1 - beta1));
                mv[1].muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray update = mv[0].div(c1).divi(mv[1].div(c2).sqrt().addi(eps)).muli(lr);
                // Update through a detached alias of the same storage: on a thread whose autograd is on (a notebook's),
                // an in-place change of a leaf that records gradients is refused.
                NDArray data = p.stopGradient();
                data.attach(scratch);
                if (weightDecay != 0) {
                    data.muli(1 - lr * weightDecay);
                }
                data.subi(update);
                g.muli(0);
            }
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
