package org.taulab.dsl;

import java.util.Locale;

/**
 * Whether this process runs experiments in quick mode: {@code -Dtaulab.quick=true}, else the environment variable
 * {@code TAULAB_QUICK=1}. Quick mode runs the same code on fewer samples, grid points and task subsets.
 */
public final class QuickMode {
    /** The environment variable that turns quick mode on ({@code TAULAB_QUICK=1}). */
    public static final String ENV = "TAULAB_QUICK";

    private QuickMode() {
    }

    public static boolean on() {
        String property = System.getProperty("taulab.quick");
        if (property != null) {
            return isTrue(property);
        }
        String env = System.getenv(ENV);
        return env != null && isTrue(env);
    }

    private static boolean isTrue(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true") || v.equals("yes");
    }
}
