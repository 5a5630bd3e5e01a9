package org.taulab.repro.cart;

import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.learn.AdaMerging;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.repro.ReproContext;

/**
 * The learned-coefficient rows of the CART methods table: AdaMerging+TA and AdaMerging+CART (paper Table 1,
 * "with test-time adaptation"), learned on val inputs with the entropy loss (labels unused; docs/algorithms.md, AdaMerging),
 * never on test. Quick mode runs the same code for fewer steps on fewer images.
 */
public final class LearnedRows {
    private LearnedRows() {
    }

    /** AdaMerging+TA: {@code θ_pre + Σ_t λ_{t,p} τ_t}, layer-wise λ learned by entropy minimization on val inputs. */
    public static Weights adamerging(ReproContext ctx, MergeInputs in) {
        return AdaMerging.taskArithmetic().run(setup(ctx)).weights();
    }

    /**
     * AdaMerging+CART: {@code θ_avg + Σ_t λ_{t,p} SVD_k(ν_t)^{(p)}} at the rank ratio {@code rank} chosen for
     * CART on val, λ learned as in AdaMerging.
     */
    public static Weights adamergingCart(ReproContext ctx, MergeInputs in, double rank) {
        return AdaMerging.cart().with("rank", rank).run(setup(ctx)).weights();
    }

    /** The learning view of the context's zoo (shared by every learned row and experiment of the context). */
    public static LearnSetup setup(ReproContext ctx) {
        return ctx.memo("learn.setup", () -> LearnSetup.of(ctx.zoo(), ctx.quick()));
    }
}
