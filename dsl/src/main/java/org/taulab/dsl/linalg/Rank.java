package org.taulab.dsl.linalg;

import org.taulab.dsl.TauLabException;

/** A rank given as a ratio of {@code min(m, n)} (0.08) or as an absolute k (16). */
public record Rank(double ratio, int absolute) {
    public static Rank ratio(double r) {
        Svd.rankFor(r, 1, 1);
        return new Rank(r, -1);
    }

    public static Rank of(int k) {
        if (k < 0) {
            throw new TauLabException("rank " + k + " is negative");
        }
        return new Rank(Double.NaN, k);
    }

    /**
     * Integers are absolute ranks (0 gives the zero matrix); other numbers in [0, 1] are ratios
     * ({@code 0.08}); an integral double above 1 is an absolute rank too.
     */
    public static Rank parse(Object value) {
        if (value instanceof Rank r) {
            return r;
        }
        if (value instanceof Integer || value instanceof Long) {
            return of(((Number) value).intValue());
        }
        double v;
        try {
            v = value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new TauLabException("rank '" + value + "' is not a number");
        }
        if (v <= 1) {
            return ratio(v);
        }
        if (v != Math.rint(v)) {
            throw new TauLabException("rank " + v + " is neither a ratio in [0, 1] nor a whole number");
        }
        return of((int) v);
    }

    public boolean isRatio() {
        return absolute < 0;
    }

    public int k(int m, int n) {
        return isRatio() ? Svd.rankFor(ratio, m, n) : Math.min(absolute, Math.min(m, n));
    }

    @Override
    public String toString() {
        return isRatio() ? Double.toString(ratio) : "k=" + absolute;
    }
}
