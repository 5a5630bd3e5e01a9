package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.tensor.TaskVector;

/** {@code λ Σ_t SVD_k(v_t)} at one matrix, from the vectors' cached decompositions. */
final class LowRankSum {
    private LowRankSum() {
    }

    static NDArray of(List<TaskVector> vectors, String name, Rank rank, double lambda, NDManager m) {
        Svd[] svds = vectors.parallelStream().map(v -> v.svd(name)).toArray(Svd[]::new);
        int rows = svds[0].m();
        int cols = svds[0].n();
        float[] sum = Svd.sumOfTruncations(svds, rank.k(rows, cols), (float) lambda);
        return m.create(sum, new ai.djl.ndarray.types.Shape(rows, cols));
    }
}
