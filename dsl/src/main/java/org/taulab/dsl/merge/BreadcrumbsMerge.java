package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * Model Breadcrumbs (Davari & Belilovsky, ECCV 2024): per tensor and task, the entries of {@code τ_t} ranked by
 * magnitude lose their top {@code floor(β n)} (the outliers) and everything below the next {@code ceil(d n)}, so that
 * a density d remains; then task arithmetic on what is left, {@code θ_pre + λ Σ_t τ̃_t}. Equal magnitudes keep their
 * order in the tensor. Defaults: d = 0.1 and β = 0.01 (the paper's), λ = 0.3 (as task arithmetic).
 */
public record BreadcrumbsMerge(double density, double beta, double lambda) implements Merge {
    static final ParamSpec DENSITY = ParamSpec.number("density", 0.1, 0, 1, "fraction d of each task vector kept, after the top β (above 0)");
    static final ParamSpec BETA = ParamSpec.number("beta", 0.01, 0, 1, "fraction β of the largest entries dropped as outliers (below 1)");

    public static final MergeMethod METHOD = MergeMethod.named("breadcrumbs").needsBase().order(160)
            .summary("per tensor and task drop the largest β and keep the next d of the entries by magnitude; then task arithmetic")
            .source("Davari & Belilovsky 2024, Model breadcrumbs: scaling multi-task model merging with sparse masks")
            .param(DENSITY).param(BETA)
            .param(ParamSpec.lambda(TaskArithmeticMerge.DEFAULT_LAMBDA))
            .build(v -> of(v.number("density"), v.number("beta"), v.number("lambda")));

    private static BreadcrumbsMerge of(double density, double beta, double lambda) {
        if (density <= 0) {
            throw new BadParameter("breadcrumbs", DENSITY, density, "must be above 0 (density 0 keeps nothing)");
        }
        if (beta >= 1) {
            throw new BadParameter("breadcrumbs", BETA, beta, "must be below 1");
        }
        return new BreadcrumbsMerge(density, beta, lambda);
    }

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("density", density);
        p.put("beta", beta);
        p.put("lambda", lambda);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(method(), metadata(), (name, m) -> {
            float[] sum = null;
            long[] shape = null;
            for (TaskVector tau : taus) {
                NDArray x = tau.compute(name, m);
                shape = x.getShape().getShape();
                float[] kept = crumbs(x.toFloatArray(), density, beta);
                if (sum == null) {
                    sum = kept;
                } else {
                    for (int i = 0; i < kept.length; i++) {
                        sum[i] += kept[i];
                    }
                }
            }
            return m.create(sum, new Shape(shape)).muli((float) lambda).addi(pre.compute(name, m));
        });
    }

    /**
     * The entries ranked floor(β n) + 1 … floor(β n) + ceil(d n) by magnitude; the others zero. One primitive sort of
     * the magnitudes finds the two boundary values; entries equal to a boundary are taken in tensor order.
     */
    static float[] crumbs(float[] x, double density, double beta) {
        int n = x.length;
        int top = (int) Math.floor(beta * n + 1e-9);
        int keep = Math.min(n - top, (int) Math.ceil(density * n - 1e-9));
        float[] out = new float[n];
        if (keep <= 0) {
            return out;
        }
        float[] mags = new float[n];
        for (int i = 0; i < n; i++) {
            mags[i] = Math.abs(x[i]);
        }
        Arrays.sort(mags);
        // ranks counted from the largest: rank r is mags[n − 1 − r]
        float high = top > 0 ? mags[n - top] : Float.POSITIVE_INFINITY;  // the smallest magnitude dropped as an outlier
        float low = mags[n - top - keep];                                 // the smallest magnitude kept
        int above = 0;
        for (float v : mags) {
            above += v > high ? 1 : 0;
        }
        int highToDrop = top - above;  // entries equal to high that are outliers (the first ones in tensor order)
        int keptAboveLow = 0;
        for (float v : mags) {
            keptAboveLow += v > low && v < high ? 1 : 0;
        }
        int highToKeep = 0;
        if (low == high) {
            highToKeep = keep;
        } else {
            int equalHigh = 0;
            for (float v : mags) {
                equalHigh += v == high ? 1 : 0;
            }
            highToKeep = top > 0 ? equalHigh - highToDrop : 0;
        }
        int lowToKeep = low == high ? 0 : keep - keptAboveLow - highToKeep;
        for (int i = 0; i < n; i++) {
            float a = Math.abs(x[i]);
            if (a == high && top > 0) {
                if (highToDrop > 0) {
                    highToDrop--;
                } else if (highToKeep > 0) {
                    highToKeep--;
                    out[i] = x[i];
                }
            } else if (a == low) {
                if (lowToKeep > 0) {
                    lowToKeep--;
                    out[i] = x[i];
                }
            } else if (a > low && a < high) {
                out[i] = x[i];
            }
        }
        return out;
    }
}
