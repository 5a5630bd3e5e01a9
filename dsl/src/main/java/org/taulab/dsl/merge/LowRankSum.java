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

    /** The vectors' decompositions at one matrix, in parallel; a failure first looks for NaN/Inf inputs. */
    static Svd[] decompose(List<TaskVector> vectors, String name, MergeInputs in) {
        try {
            return vectors.parallelStream().map(v -> v.svd(name)).toArray(Svd[]::new);
        } catch (org.taulab.dsl.TauLabException e) {
            in.requireFinite(name);
            throw e;
        }
    }

    static NDArray of(MergeInputs in, List<TaskVector> vectors, String name, Rank rank, double lambda, NDManager m) {
        Svd[] svds = decompose(vectors, name, in);
        int rows = svds[0].m();
        int cols = svds[0].n();
        float[] sum = Svd.sumOfTruncations(svds, rank.k(rows, cols), (float) lambda);
        return m.create(sum, new ai.djl.ndarray.types.Shape(rows, cols));
    }
}
