package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A difference of weights, {@code τ = θ_ft − θ_base}, over the float tensors only (integer and bool
 * tensors are never merged). Immutable and lazy like {@link Weights}.
 */
public final class TaskVector extends StateDict {
    public TaskVector(Map<String, TensorEntry> entries, Map<String, String> metadata, String label) {
        super(entries, metadata, label);
    }

    public TaskVector plus(TaskVector other) {
        return new TaskVector(zipFloats(other, NDArray::addi, false), Map.of(), "(" + label() + " + " + other.label() + ")");
    }

    public TaskVector minus(TaskVector other) {
        return new TaskVector(zipFloats(other, NDArray::subi, false), Map.of(), "(" + label() + " − " + other.label() + ")");
    }

    public TaskVector times(double scalar) {
        return new TaskVector(mapFloats(x -> x.muli(scalar), Selector.allFloats()), Map.of(), scalar + "·" + label());
    }

    public TaskVector divide(double scalar) {
        return times(1.0 / scalar);
    }

    public TaskVector neg() {
        return new TaskVector(mapFloats(NDArray::negi, Selector.allFloats()), Map.of(), "−" + label());
    }

    /** Applies {@code fn} to the selected tensors and leaves the others as they are. */
    public TaskVector map(Selector selector, UnaryOperator<NDArray> fn) {
        return new TaskVector(mapFloats(fn, selector), Map.of(), "map(" + label() + ")");
    }

    public double dot(TaskVector other) {
        return dotWith(other);
    }

    /** Cosine similarity of the two vectors flattened over every float tensor. */
    public double cos(TaskVector other) {
        double denominator = norm() * other.norm();
        return denominator == 0 ? 0 : dot(other) / denominator;
    }
}
