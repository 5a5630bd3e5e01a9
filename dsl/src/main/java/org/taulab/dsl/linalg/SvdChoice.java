package org.taulab.dsl.linalg;

import java.util.Locale;
import org.taulab.dsl.TauLabException;

/**
 * How an SVD-based merge or analysis decomposes a matrix when it needs only the leading k triplets:
 * {@code exact} (LAPACK's full {@code sgesdd}), {@code truncated} ({@link TruncatedSvd}), or {@code auto}
 * (truncated when k plus one Krylov block is at most a quarter of min(m, n): the Krylov space it then needs,
 * about three times k wide, costs a fraction of the full decomposition; exact otherwise).
 */
public enum SvdChoice {
    EXACT, TRUNCATED, AUTO;

    /** {@code auto} picks the truncated decomposition when {@code (k + block) · AUTO_FACTOR ≤ min(m, n)}. */
    public static final int AUTO_FACTOR = 4;

    public static SvdChoice parse(Object value) {
        if (value instanceof SvdChoice c) {
            return c;
        }
        String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        for (SvdChoice c : values()) {
            if (c.spelling().equals(s)) {
                return c;
            }
        }
        throw new TauLabException("svd '" + value + "' is not one of exact, truncated, auto");
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the leading k triplets of an m × n matrix come from {@link TruncatedSvd}. */
    public boolean truncates(int k, int m, int n) {
        int p = Math.min(m, n);
        return switch (this) {
            case EXACT -> false;
            case TRUNCATED -> k < p;
            case AUTO -> k < p && (k + TruncatedSvd.DEFAULT.block(k, m, n)) * AUTO_FACTOR <= p;
        };
    }

    /** At least the leading k triplets of A (all of them when the choice is the exact decomposition). */
    public Svd decompose(float[] a, int m, int n, int k, String name) {
        return truncates(k, m, n) ? TruncatedSvd.of(a, m, n, k, name) : Svd.of(a, m, n, name);
    }

    @Override
    public String toString() {
        return spelling();
    }
}
