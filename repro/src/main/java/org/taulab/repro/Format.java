package org.taulab.repro;

/** Number formatting shared by the reproduction tables and claims. */
public final class Format {
    private Format() {
    }

    /** A fraction in [0, 1] as a percentage rounded to one decimal. */
    public static double pct(double fraction) {
        return Math.round(fraction * 1000) / 10.0;
    }

    /** A fraction as "61.2". */
    public static String pctText(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f", 100 * fraction);
    }

    /** A number with up to 3 significant decimals, no trailing zeros: 0.08, 1.5, 2. */
    public static String num(double x) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", x).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
