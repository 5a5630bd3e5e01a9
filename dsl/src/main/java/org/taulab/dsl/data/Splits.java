package org.taulab.dsl.data;

import java.util.Arrays;
import java.util.Random;

/** Seeded permutations and the train / val / test carving every task uses. */
public final class Splits {
    private Splits() {
    }

    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Size of the val split held out of {@code trainCount} images. */
    public static int valSize(int trainCount, double fraction, int max) {
        return Math.min(max, (int) Math.round(trainCount * fraction));
    }

    static int[] range(int[] p, int from, int to) {
        return Arrays.copyOfRange(p, from, to);
    }
}
