package org.taulab.dsl.merge;

import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;

/**
 * SLERP of two models (mergekit's convention), per tensor on the weights themselves (no base needed): with
 * {@code cos Ω = ⟨θ_1, θ_2⟩ / (‖θ_1‖ ‖θ_2‖)}, {@code θ = sin((1 − t)Ω)/sin Ω · θ_1 + sin(tΩ)/sin Ω · θ_2}; where the
 * two are nearly colinear ({@code |cos Ω| > 0.9995}) or one is zero, the linear {@code (1 − t) θ_1 + t θ_2}.
 * t = 0 gives the first model, t = 1 the second; default t = 0.5.
 */
public record SlerpMerge(double t) implements Merge {
    static final double COLINEAR = 0.9995;

    public static final MergeMethod METHOD = MergeMethod.named("slerp").models(2).order(130)
            .summary("spherical interpolation of two models, per tensor, at t (linear where they are nearly colinear)")
            .source("Shoemake 1985; mergekit's model-merging convention")
            .param(ParamSpec.number("t", 0.5, 0, 1, "interpolation point: 0 is the first model, 1 the second"))
            .build(v -> new SlerpMerge(v.number("t")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("t", t);
    }

    @Override
    public Weights merge(MergeInputs in) {
        if (in.count() != 2) {
            throw new TauLabException("slerp merges exactly two models, got " + in.count());
        }
        Weights a = in.finetuned().get(0);
        Weights b = in.finetuned().get(1);
        return in.build(method(), metadata(), (name, m) -> {
            float[] x = a.compute(name, m).toFloatArray();
            float[] y = b.compute(name, m).toFloatArray();
            double[] w = weights(x, y, t);
            return a.compute(name, m).muli((float) w[0]).addi(b.compute(name, m).muli((float) w[1]));
        });
    }

    /** The coefficients of θ_1 and θ_2 at {@code t} for one tensor. */
    static double[] weights(float[] x, float[] y, double t) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        if (nx == 0 || ny == 0) {
            return new double[] {1 - t, t};
        }
        double cos = dot / Math.sqrt(nx * ny);
        if (Math.abs(cos) > COLINEAR) {
            return new double[] {1 - t, t};
        }
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        double sin = Math.sin(omega);
        return new double[] {Math.sin((1 - t) * omega) / sin, Math.sin(t * omega) / sin};
    }
}
