package org.taulab.cli;

/**
 * Merges are memory-bound element-wise work: one PyTorch thread streams as fast as two here, and two
 * OpenMP threads collapse (measured 5–200× slower per op) whenever another process holds a core. So the
 * merge commands run PyTorch single-threaded unless the user sets {@code ai.djl.pytorch.num_threads}.
 * Must run before the engine loads.
 */
final class EngineThreads {
    private EngineThreads() {
    }

    static void forMemoryBoundWork() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
