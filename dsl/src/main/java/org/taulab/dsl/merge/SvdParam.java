package org.taulab.dsl.merge;

import java.util.List;
import org.taulab.dsl.linalg.SvdChoice;

/** The {@code svd} parameter every merge that keeps leading singular triplets takes: exact, truncated or auto. */
final class SvdParam {
    static final ParamSpec SPEC = ParamSpec.choice("svd", "auto", List.of("auto", "exact", "truncated"),
            "how the leading singular triplets are computed: exact (LAPACK's full SVD), truncated (randomized "
                    + "block Krylov, stopped when the rank-k estimate moves by at most 1e-4 from one block to the next), "
                    + "auto (truncated when 4 (k + b) ≤ min(m, n), b = max(16, k/4) the block size)");

    private SvdParam() {
    }

    static SvdChoice of(ParamValues v) {
        return SvdChoice.parse(v.choice(SPEC.name()));
    }
}
