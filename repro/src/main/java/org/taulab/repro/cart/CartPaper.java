package org.taulab.repro.cart;

/**
 * What the CART paper ("Revisiting Weight Averaging for Model Merging", Choi et al.) reports for ViT-B/32 on
 * 8 vision tasks (Table 1, Table 3; docs/algorithms.md, "What the papers report"): absolute average test
 * accuracy in %.
 */
public final class CartPaper {
    public static final double PRETRAINED = 48.0;
    public static final double INDIVIDUAL = 90.5;
    public static final double AVERAGING = 65.9;
    public static final double TASK_ARITHMETIC = 69.1;
    public static final double TIES = 72.4;
    public static final double CONSENSUS = 75.2;
    public static final double CART = 84.7;
    public static final double ADAMERGING_TA = 80.1;
    public static final double ADAMERGING_CART = 85.8;
    /** Table 3: CART-Indexing at 8 % rank, 8 tasks. */
    public static final double CART_INDEXING = 90.1;
    /** The rank ratio where the paper's accuracy-vs-rank curve peaks (Figure 1, 6). */
    public static final double PEAK_RANK = 0.08;

    private CartPaper() {
    }
}
