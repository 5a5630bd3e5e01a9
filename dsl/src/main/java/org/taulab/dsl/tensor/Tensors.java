package org.taulab.dsl.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The process-wide tensor context: the device (chosen once: CPU unless {@code -Dtaulab.device=gpu})
 * and the root manager under which every long-lived TauLab value keeps its arrays.
 */
public final class Tensors {
    private static volatile NDManager root;

    private Tensors() {
    }

    /**
     * The device {@code -Dtaulab.device} names: cpu (the default) or gpu, which needs a GPU that this build's
     * PyTorch can use (the {@code cuda} Maven profile's build on a machine with an NVIDIA driver); anything else is
     * refused in one line naming the setting.
     */
    public static Device device() {
        String wanted = System.getProperty("taulab.device", "cpu").strip().toLowerCase(java.util.Locale.ROOT);
        switch (wanted) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                System.setProperty("ai.djl.offline", "true");
                if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
                    throw new org.taulab.dsl.TauLabException("-Dtaulab.device=gpu: PyTorch sees no GPU (this build's engine is "
                            + ai.djl.engine.Engine.getInstance().getEngineName() + " " + ai.djl.engine.Engine.getInstance().getVersion()
                            + "; a GPU build is `mvn -Pcuda package` on a machine with an NVIDIA driver for CUDA 12.4)");
                }
                return Device.gpu();
            default:
                throw new org.taulab.dsl.TauLabException("-Dtaulab.device=" + wanted + ": must be cpu or gpu");
        }
    }

    public static NDManager root() {
        NDManager r = root;
        if (r == null) {
            synchronized (Tensors.class) {
                if (root == null) {
                    System.setProperty("ai.djl.offline", "true");
                    singleThreadedByDefault();
                    root = NDManager.newBaseManager(device());
                }
                r = root;
            }
        }
        return r;
    }

    /**
     * PyTorch runs one intra-op thread unless {@code -Dai.djl.pytorch.num_threads} says otherwise. On this
     * project's 2-core machines two OpenMP threads collapse whenever another process holds a core (measured:
     * a ViT training step 96 ms with one thread, 843 ms with two under load; element-wise merges up to 5×
     * slower), while one thread already reaches most of the matrix-multiply rate.
     */
    private static void singleThreadedByDefault() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** A manager for one unit of work (a tensor of a merge, an evaluation); close it when done. */
    public static NDManager scope() {
        return root().newSubManager();
    }

    /**
     * {@code x · s}, safe under autograd. DJL's {@code mul(Number)} and {@code div(Number)} wrap the number in a 0-d
     * tensor over a Java direct buffer that PyTorch does not copy (from_blob) and close that tensor right after the
     * operation; autograd still holds it for the backward pass (the gradient of {@code x · s} is {@code g · s}), and once a
     * garbage collection lets the buffer's Cleaner free it, the backward pass reads freed memory: whatever the allocator put
     * there since, in practice a NaN or a huge number in every gradient behind it, at steps that depend on GC timing. The
     * scalar made here is allocated and owned by PyTorch, so the saved reference keeps it alive. Use these for any scalar
     * factor of a tensor that may record gradients.
     */
    public static NDArray mul(NDArray x, double s) {
        try (NDArray c = x.getManager().full(new Shape(), (float) s, x.getDataType())) {
            return x.mul(c);
        }
    }

    /** {@code x / s}, safe under autograd (see {@link #mul(NDArray, double)}). */
    public static NDArray div(NDArray x, double s) {
        try (NDArray c = x.getManager().full(new Shape(), (float) s, x.getDataType())) {
            return x.div(c);
        }
    }
}
