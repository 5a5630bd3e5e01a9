package org.taulab.dsl.merge;

import java.util.List;
import org.taulab.dsl.linalg.SvdChoice;

/** The {@code svd} parameter every merge that keeps leading singular triplets takes: exact, truncated or auto. */
final class SvdParam {
    static final ParamSpec SPEC = ParamSpec.choice("svd", "auto", List.of("auto", "exact", "truncated"),
            "how the leading singular triplets are computed: exact (LAPACK's full SVD), truncated (randomized "
                    + "subspace iteration, stopped when the rank-k part moves by at most 1e-5), auto (truncated when "
                    + "k + oversampling ≤ min(m, n)/4)");

    private SvdParam() {
    }

    static SvdChoice of(ParamValues v) {
        return SvdChoice.parse(v.choice(SPEC.name()));
    }
}
