import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.taulab.dsl.model.ClassifierHead;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.ScopedParams;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.synthetic.SyntheticCheckpoints;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.train.AdamW;
import org.taulab.dsl.train.Losses;
import org.taulab.dsl.train.TrainableWeights;

/**
 * Speed of the CLIP-style ViT in DJL, against the dense matrix-multiply rate DJL reaches in the same run:
 * (1) the small mini8 model's training step (forward + backward + AdamW), (2) a ViT-B/32-shaped model's
 * forward at 224×224 with random weights. FLOPs are counted analytically (2 per multiply-add of every
 * matrix product, attention included; backward = 2 × forward).
 */
public final class ModelBench {
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        NDManager root = Tensors.root();
        System.out.printf("PyTorch threads: %s (ai.djl.pytorch.num_threads)%n", System.getProperty("ai.djl.pytorch.num_threads"));
        double matmul = matmulRate(root, 2048, seconds);
        System.out.printf("dense matmul 2048x2048: %.1f GFLOP/s%n", matmul);

        VitConfig small = new VitConfig(128, 1, 7, 4, 4, 2, 64, "quick_gelu");
        double[] train = trainStep(root, small, 64, seconds);
        System.out.printf("small model training step (batch 64): %.0f images/s, %.1f GFLOP/s = %.0f%% of matmul (target >= 25%%)%n",
                train[0], train[1], 100 * train[1] / matmul);

        VitConfig b32 = new VitConfig(768, 3, 32, 7, 12, 12, 512, "quick_gelu");
        double[] fwd = forward(root, b32, 16, seconds);
        System.out.printf("ViT-B/32 forward 224x224 (batch 16): %.1f images/s, %.1f GFLOP/s = %.0f%% of matmul (target >= 50%%)%n",
                fwd[0], fwd[1], 100 * fwd[1] / matmul);
    }

    static double matmulRate(NDManager root, int n, int seconds) {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 2; i++) {
                a.matMul(b).close();
            }
            long start = System.nanoTime();
            int reps = 0;
            while (System.nanoTime() - start < seconds * 1e9 / 3) {
                a.matMul(b).close();
                reps++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * n * reps / s / 1e9;
        }
    }

    /** Multiply-add FLOPs of one image's forward pass. */
    static double forwardFlops(VitConfig c) {
        double t = c.tokens();
        double w = c.width();
        double perLayer = 2 * t * 12 * w * w + 2 * 2 * t * t * w;
        double patch = 2.0 * c.grid() * c.grid() * c.channels() * c.patch() * c.patch() * w;
        return c.layers() * perLayer + patch + 2 * w * c.embed();
    }

    static Map<String, float[]> randomWeights(VitConfig c, Map<String, long[]> shapes) {
        shapes.putAll(SyntheticCheckpoints.vitShapes(c.width(), c.layers(), c.patch(), c.tokens(), c.embed()));
        shapes.put("conv1.weight", new long[] {c.width(), c.channels(), c.patch(), c.patch()});
        Map<String, float[]> values = new LinkedHashMap<>();
        Random rnd = new Random(1);
        shapes.forEach((k, s) -> {
            int n = 1;
            for (long d : s) {
                n *= (int) d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (rnd.nextGaussian() * 0.02 + (k.contains("ln") && k.endsWith("weight") ? 1 : 0));
            }
            values.put(k, v);
        });
        return values;
    }

    static double[] trainStep(NDManager root, VitConfig c, int batch, int seconds) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = randomWeights(c, shapes);
        ClipVit vit = new ClipVit(c);
        try (TrainableWeights w = new TrainableWeights(root, values, shapes); AdamW opt = new AdamW(root, 1e-4, 0.1);
             NDManager hm = root.newSubManager()) {
            NDArray hw = hm.randomNormal(new Shape(10, c.embed()));
            NDArray hb = hm.zeros(new Shape(10));
            int steps = 0;
            long start = 0;
            while (true) {
                if (steps == 3) {
                    start = System.nanoTime();
                }
                try (NDManager m = root.newSubManager()) {
                    NDArray x = m.randomUniform(-1, 1, new Shape(batch, c.channels(), c.image(), c.image()));
                    NDArray y = m.randomInteger(0, 10, new Shape(batch), DataType.INT64);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = ClassifierHead.logits(vit.features(ScopedParams.in(m, w::get), x), hw, hb);
                        gc.backward(Losses.crossEntropy(logits, y));
                    }
                    opt.step(w.list());
                }
                steps++;
                if (steps > 3 && System.nanoTime() - start > seconds * 1e9 / 3) {
                    break;
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            double images = (steps - 3) * (double) batch / s;
            return new double[] {images, images * 3 * forwardFlops(c) / 1e9};
        }
    }

    static double[] forward(NDManager root, VitConfig c, int batch, int seconds) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = randomWeights(c, shapes);
        ClipVit vit = new ClipVit(c);
        try (NDManager pm = root.newSubManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            values.forEach((k, v) -> params.put(k, pm.create(v, new Shape(shapes.get(k)))));
            int reps = 0;
            long start = 0;
            while (true) {
                if (reps == 1) {
                    start = System.nanoTime();
                }
                try (NDManager m = root.newSubManager()) {
                    NDArray x = m.randomUniform(-1, 1, new Shape(batch, c.channels(), c.image(), c.image()));
                    vit.features(ScopedParams.in(m, params::get), x).toFloatArray();
                }
                reps++;
                if (reps > 1 && System.nanoTime() - start > seconds * 1e9 / 3) {
                    break;
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            double images = (reps - 1) * (double) batch / s;
            return new double[] {images, images * forwardFlops(c) / 1e9};
        }
    }
}
