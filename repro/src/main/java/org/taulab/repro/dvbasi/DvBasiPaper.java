package org.taulab.repro.dvbasi;

/**
 * What the DV-BASI paper ("Escaping Optimization Stagnation: Taking Steps Beyond Task Arithmetic via Difference
 * Vectors", Wang et al.) reports for CLIP ViT-B/32 (docs/algorithms.md), in %.
 */
final class DvBasiPaper {
    /** Table 1, unsupervised task addition over 8 tasks: θ_0 (aTLAS), random perturbation, isotropic, anisotropic. */
    static final double ABLATION_THETA0 = 82.9;
    static final double ABLATION_RANDOM = 5.6;
    static final double ABLATION_ISOTROPIC = 83.3;
    static final double ABLATION_ANISOTROPIC = 83.9;
    /** Table 3, supervised task addition: aTLAS, aTLAS + DV-BASI, + MOO. */
    static final double ADDITION_ATLAS = 84.1;
    static final double ADDITION_DVBASI = 85.9;
    static final double ADDITION_MOO = 86.2;
    /** Table 2, task negation averaged over 8 targets (target ↓ / control ↑): pretrained, aTLAS, aTLAS + DV-BASI (unsupervised). */
    static final double NEGATION_PRE_TARGET = 48.1;
    static final double NEGATION_PRE_CONTROL = 63.4;
    static final double NEGATION_ATLAS_TARGET = 23.3;
    static final double NEGATION_ATLAS_CONTROL = 60.7;
    static final double NEGATION_DVBASI_TARGET = 20.3;
    static final double NEGATION_DVBASI_CONTROL = 60.2;
    /** Table 4, test-time adaptation averaged over 22 datasets: zero-shot, aTLAS, DV-BASI. */
    static final double TTA_ZEROSHOT = 60.40;
    static final double TTA_ATLAS = 65.16;
    static final double TTA_DVBASI = 66.76;
    /** Table 5, single-task enhancement: fine-tuned → DV-BASI average over 20 tasks, and how many improved. */
    static final double ENHANCE_FINETUNED = 82.04;
    static final double ENHANCE_DVBASI = 82.74;
    static final int ENHANCE_IMPROVED = 17;
    static final int ENHANCE_TASKS = 20;

    private DvBasiPaper() {
    }
}
