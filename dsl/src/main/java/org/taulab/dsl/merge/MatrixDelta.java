package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * The shape shared by the merges that rebuild each selected matrix from the task vectors (TSV-M, Iso-C, Iso-CTS,
 * WUDI): {@code θ = θ_pre + λ Δ}, with Δ the method's own matrix at the selected 2-D tensors and the mean
 * {@code (1/T) Σ_t τ_t} at every other float tensor.
 */
final class MatrixDelta {
    /** The method's Δ of one selected rows × cols matrix from its task vectors (row-major values, one per task). */
    interface Kernel {
        float[] delta(String name, float[][] taus, int rows, int cols);
    }

    private MatrixDelta() {
    }

    static Weights merge(Merge merge, MergeInputs in, Selector selector, double lambda, Kernel kernel) {
        Weights pre = in.requireBase(merge.method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(merge.method(), merge.metadata(), (name, m) -> {
            NDArray delta;
            if (selector.test(in.layout().entry(name))) {
                long[] shape = in.layout().entry(name).shape();
                delta = m.create(kernel.delta(name, values(taus, name, m), (int) shape[0], (int) shape[1]), new Shape(shape));
            } else {
                delta = taus.get(0).compute(name, m);
                for (int t = 1; t < taus.size(); t++) {
                    delta.addi(taus.get(t).compute(name, m));
                }
                delta.divi(taus.size());
            }
            return delta.muli((float) lambda).addi(pre.compute(name, m));
        });
    }

    /** Every task vector's values at tensor {@code name}, row-major, one array per task. */
    static float[][] values(List<TaskVector> taus, String name, ai.djl.ndarray.NDManager m) {
        float[][] out = new float[taus.size()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = taus.get(t).compute(name, m).toFloatArray();
        }
        return out;
    }

    /** The element-wise sum of the task vectors' values. */
    static float[] sum(float[][] taus) {
        float[] out = taus[0].clone();
        for (int t = 1; t < taus.length; t++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += taus[t][i];
            }
        }
        return out;
    }
}
