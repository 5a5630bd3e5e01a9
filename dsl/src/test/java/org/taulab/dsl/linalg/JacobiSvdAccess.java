package org.taulab.dsl.linalg;

/** Lets tests in other packages use the independent reference SVD. */
public final class JacobiSvdAccess {
    private JacobiSvdAccess() {
    }

    public static double[] singularValues(float[] a, int m, int n) {
        return JacobiSvd.singularValues(a, m, n);
    }
}
