package org.taulab.dsl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;

/**
 * Weights as a function of learned coefficients: {@code θ_p = base_p + Σ_d Λ[d, block(p)] · dir_{d,p}} for every
 * float tensor p, with D directions (task vectors, a difference vector, …) and either one block per direction
 * (task-wise / isotropic) or one block per tensor per direction (layer-wise / anisotropic). Only {@code Λ}
 * records gradients: base and directions are frozen arrays, stacked per tensor as {@code [D, numel]} so each
 * tensor costs one small matrix product per forward pass and its gradient one reduction.
 */
public final class CoefficientModel implements AutoCloseable {
    private final NDManager manager;
    private final List<String> names;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, NDArray> base = new LinkedHashMap<>();
    private final Map<String, NDArray> stacked = new LinkedHashMap<>();
    private final boolean perTensor;
    private final int directions;
    private final NDArray coefficients;

    /**
     * @param base       the point the directions start from (its float tensors are the model's parameters)
     * @param directions D state dicts with the base's float layout; a tensor missing from one counts as zero there
     * @param perTensor  one coefficient per tensor per direction (anisotropic) instead of one per direction
     * @param init       the initial value of every coefficient
     */
    public CoefficientModel(Weights base, List<? extends org.taulab.dsl.tensor.StateDict> directions, boolean perTensor, double init) {
        if (directions.isEmpty()) {
            throw new TauLabException("learned merge: no directions to learn coefficients for");
        }
        this.manager = Tensors.root().newSubManager();
        this.names = base.floatKeys();
        this.perTensor = perTensor;
        this.directions = directions.size();
        for (String name : names) {
            long[] shape = base.entry(name).shape();
            shapes.put(name, shape);
            NDArray b = base.compute(name, manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            this.base.put(name, b);
            float[] rows = new float[(int) (this.directions * elements(shape))];
            boolean any = false;
            for (int d = 0; d < this.directions; d++) {
                var dir = directions.get(d);
                if (!dir.contains(name)) {
                    continue;
                }
                if (!java.util.Arrays.equals(dir.entry(name).shape(), shape)) {
                    throw new TauLabException("learned merge: direction " + dir.label() + " tensor " + name + " has shape "
                            + dir.entry(name).shapeString() + ", the base has " + base.entry(name).shapeString());
                }
                try (NDManager m = manager.newSubManager()) {
                    float[] v = dir.compute(name, m).toFloatArray();
                    System.arraycopy(v, 0, rows, (int) (d * elements(shape)), v.length);
                    any = true;
                }
            }
            if (any) {
                stacked.put(name, manager.create(rows, new Shape(this.directions, elements(shape))));
            }
        }
        coefficients = manager.full(new Shape(this.directions, perTensor ? names.size() : 1), (float) init);
        coefficients.setRequiresGradient(true);
    }

    /** The learned parameters {@code Λ}, shape {@code [D, blocks]}. */
    public NDArray coefficients() {
        return coefficients;
    }

    public List<String> tensorNames() {
        return names;
    }

    public int directionCount() {
        return directions;
    }

    public boolean perTensor() {
        return perTensor;
    }

    /** Overwrites every coefficient with {@code values} ({@code [D × blocks]}, row-major). */
    public void setCoefficients(float[] values) {
        // In place through a detached alias: the leaf keeps its identity and its gradient flag, and autograd
        // (on in a notebook's threads) does not see the write.
        try (NDManager m = manager.newSubManager()) {
            NDArray data = coefficients.stopGradient();
            data.attach(m);
            data.muli(0).addi(m.create(values, coefficients.getShape()));
        }
    }

    public float[] coefficientValues() {
        return coefficients.toFloatArray();
    }

    /**
     * The parameter lookup of one forward pass: tensors computed on first use into {@code step} (so they die
     * with it) from the current coefficients, differentiably when a gradient collector is open.
     */
    public Function<String, NDArray> parameters(NDManager step) {
        Map<String, NDArray> done = new java.util.HashMap<>();
        coefficients.tempAttach(step);
        return name -> done.computeIfAbsent(name, n -> tensor(n, step));
    }

    private NDArray tensor(String name, NDManager step) {
        NDArray b = base.get(name);
        if (b == null) {
            throw new TauLabException("learned merge: the model asks for tensor '" + name + "', which the base does not have");
        }
        b.tempAttach(step);
        NDArray dirs = stacked.get(name);
        if (dirs == null) {
            return b;
        }
        dirs.tempAttach(step);
        int block = perTensor ? names.indexOf(name) : 0;
        NDArray lambda = coefficients.get(new NDIndex(":, {}", block)).reshape(1, directions);
        return b.add(lambda.matMul(dirs).reshape(new Shape(shapes.get(name))));
    }

    /** The weights at the current coefficients, as a standalone state dict (no gradients). */
    public Weights materialize(String label, Map<String, String> metadata) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        float[] lambda = coefficientValues();
        int blocks = perTensor ? names.size() : 1;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long[] shape = shapes.get(name);
            float[] v = base.get(name).toFloatArray();
            NDArray dirs = stacked.get(name);
            if (dirs != null) {
                float[] rows = dirs.toFloatArray();
                int n = v.length;
                for (int d = 0; d < directions; d++) {
                    float c = lambda[d * blocks + (perTensor ? i : 0)];
                    for (int k = 0; k < n; k++) {
                        v[k] += c * rows[d * n + k];
                    }
                }
            }
            entries.put(name, TensorEntry.floating(name, DType.F32, shape, m -> m.create(v.clone(), new Shape(shape))));
        }
        return new Weights(entries, metadata, label);
    }

    /** Per direction, the L2 norm of its coefficients (what the history records as ‖Λ‖). */
    public double[] coefficientNorms() {
        float[] lambda = coefficientValues();
        int blocks = perTensor ? names.size() : 1;
        double[] out = new double[directions];
        for (int d = 0; d < directions; d++) {
            double s = 0;
            for (int b = 0; b < blocks; b++) {
                s += lambda[d * blocks + b] * (double) lambda[d * blocks + b];
            }
            out[d] = Math.sqrt(s);
        }
        return out;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The names of the blocks, for tables of learned coefficients: the tensor names, or "all". */
    public List<String> blockNames() {
        return perTensor ? new ArrayList<>(names) : List.of("all");
    }
}
