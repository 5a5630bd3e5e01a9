package org.taulab.dsl.linalg;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.presets.openblas_nolapack;

/**
 * Loads OpenBLAS once and fixes its thread count. Its own threads busy-wait and fight DJL's and each
 * other for 2 cores (measured: sgesdd 10–80× slower multi-threaded than single-threaded here), so TauLab
 * runs LAPACK single-threaded and parallelizes across matrices instead. {@code -Dtaulab.blas.threads=N}
 * or the environment variable OPENBLAS_NUM_THREADS overrides.
 */
public final class Blas {
    private static volatile boolean ready;

    private Blas() {
    }

    public static void init() {
        if (ready) {
            return;
        }
        synchronized (Blas.class) {
            if (!ready) {
                Loader.load(org.bytedeco.openblas.global.openblas.class);
                if (System.getenv("OPENBLAS_NUM_THREADS") == null) {
                    openblas_nolapack.blas_set_num_threads(Integer.getInteger("taulab.blas.threads", 1));
                }
                ready = true;
            }
        }
    }
}
