package org.taulab.repro.cart;

import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.Weights;
import org.taulab.repro.NotAvailableYet;
import org.taulab.repro.ReproContext;

/**
 * The learned-coefficient rows of the CART methods table: AdaMerging+TA and AdaMerging+CART (paper Table 1,
 * "with test-time adaptation"). They come from the learned-merging code (issue 5); until it is wired here
 * they throw {@link NotAvailableYet}, the table shows them as "not available yet" and their claims are
 * pending (not counted).
 *
 * <p>To wire: return the merged encoder. Learn on val inputs (entropy loss, labels unused; ALGORITHMS.md
 * §8), never on test. Use {@code ctx.pick(quickValue, fullValue)} for the number of steps so quick mode runs
 * the same code for fewer steps, and report progress through {@code org.taulab.dsl.Progress.session()}.
 */
public final class LearnedRows {
    private LearnedRows() {
    }

    /** AdaMerging+TA: {@code θ_pre + Σ_t λ_{t,p} τ_t}, layer-wise λ learned by entropy minimization on val inputs. */
    public static Weights adamerging(ReproContext ctx, MergeInputs in) {
        throw new NotAvailableYet("AdaMerging (learned merging, issue 5)");
    }

    /**
     * AdaMerging+CART: {@code θ_avg + Σ_t λ_{t,p} SVD_k(ν_t)^{(p)}} at the rank ratio {@code rank} chosen for
     * CART on val, λ learned as in AdaMerging.
     */
    public static Weights adamergingCart(ReproContext ctx, MergeInputs in, double rank) {
        throw new NotAvailableYet("AdaMerging+CART (learned merging, issue 5)");
    }
}
