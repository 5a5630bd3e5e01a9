package org.taulab.dsl.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Moves matrices between DJL arrays and the row-major float arrays LAPACK works on. */
public final class Matrices {
    private Matrices() {
    }

    public static float[] toRowMajor(NDArray matrix) {
        return matrix.toFloatArray();
    }

    public static NDArray toArray(NDManager manager, float[] rowMajor, int m, int n) {
        return manager.create(rowMajor, new Shape(m, n));
    }
}
