package org.taulab.dsl.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The process-wide tensor context: the device (chosen once: CPU unless {@code -Dtaulab.device=gpu})
 * and the root manager under which every long-lived TauLab value keeps its arrays.
 */
public final class Tensors {
    private static volatile NDManager root;

    private Tensors() {
    }

    public static Device device() {
        String wanted = System.getProperty("taulab.device", "cpu");
        return wanted.equalsIgnoreCase("gpu") ? Device.gpu() : Device.cpu();
    }

    public static NDManager root() {
        NDManager r = root;
        if (r == null) {
            synchronized (Tensors.class) {
                if (root == null) {
                    System.setProperty("ai.djl.offline", "true");
                    root = NDManager.newBaseManager(device());
                }
                r = root;
            }
        }
        return r;
    }

    /** A manager for one unit of work (a tensor of a merge, an evaluation); close it when done. */
    public static NDManager scope() {
        return root().newSubManager();
    }
}
