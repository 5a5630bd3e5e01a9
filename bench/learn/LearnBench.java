import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.taulab.dsl.Progress;
import org.taulab.dsl.learn.CoefficientModel;
import org.taulab.dsl.learn.CoefficientTrainer;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.dsl.learn.LearnTask;
import org.taulab.dsl.learn.TrainConfig;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.TaskArithmeticMerge;
import org.taulab.dsl.model.ScopedParams;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.train.AdamW;
import org.taulab.dsl.train.TrainableWeights;
import org.taulab.dsl.zoo.Zoo;

/**
 * Cost of DV-BASI's coefficient parameterization on the embedded benchmark: one epoch of DV-BASI steps
 * (θ = θ_0 + Λ ⊙ δ rebuilt every step, gradients w.r.t. Λ, AdamW on Λ) against the plain forward and backward
 * passes of the same encoder on the same batches (gradients w.r.t. the encoder's own tensors, no coefficients,
 * no optimizer), alternated and repeated, min of each. Also the achieved GFLOP/s against the dense matmul rate
 * measured in the same run (FLOP counts and the matmul rate as bench/model/ModelBench). Usage: LearnBench [REPEATS] [ours|plain|both]; peak RSS printed at exit.
 */
public final class LearnBench {
    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String which = args.length > 1 ? args[1] : "both";
        NDManager root = Tensors.root();
        Zoo zoo = Zoo.open("mini8");
        LearnSetup setup = LearnSetup.of(zoo, false, false, Progress.NONE);
        List<String> names = setup.taskNames();
        Weights theta0 = new TaskArithmeticMerge().lambda(0.05).merge(new MergeInputs(setup.pretrained(), setup.finetuned(names), names));
        List<LearnTask> tasks = setup.tasks(names, false);
        CoefficientTrainer trainer = new CoefficientTrainer(setup.vit(), tasks, Map.of(), Progress.NONE);
        TrainConfig config = new TrainConfig(0.01, 0, 1, 0, 16, 0, false, 0, true);
        int steps = trainer.stepsPerEpoch(config.batch());
        VitConfig vc = setup.vit().config();
        double imagesPerEpoch = (double) steps * config.batch() * tasks.size();
        double flopsPerEpoch = imagesPerEpoch * 3 * ModelBench.forwardFlops(vc);
        double matmul = ModelBench.matmulRate(root, 2048, 9); // about 3 s
        System.out.printf("PyTorch threads: %s; mini8 encoder width %d, %d layers, %d tokens; %d steps x %d tasks x %d images per epoch%n",
                System.getProperty("ai.djl.pytorch.num_threads"), vc.width(), vc.layers(), vc.tokens(), steps, tasks.size(), config.batch());
        System.out.printf("dense matmul 2048x2048: %.1f GFLOP/s%n", matmul);
        double ours = Double.MAX_VALUE;
        double plain = Double.MAX_VALUE;
        try (CoefficientModel model = new CoefficientModel(theta0, List.of(theta0.minus(setup.pretrained())), true, 0.1);
             TrainableWeights w = TrainableWeights.from(root, theta0);
             AdamW opt = new AdamW(root, config.lr(), 0)) {
            Function<NDManager, Function<String, NDArray>> plainEncoder = m -> ScopedParams.in(m, w::get);
            trainer.epoch(model, config, opt, 1, 0, 2, () -> { });
            trainer.plainEpoch(plainEncoder, config, 1, 0, 2);
            for (int r = 0; r < repeats; r++) {
                if (!which.equals("plain")) {
                    long t = System.nanoTime();
                    trainer.epoch(model, config, opt, 1, r + 1, steps, () -> { });
                    ours = Math.min(ours, (System.nanoTime() - t) / 1e9);
                }
                if (!which.equals("ours")) {
                    long t = System.nanoTime();
                    trainer.plainEpoch(plainEncoder, config, 1, r + 1, steps);
                    plain = Math.min(plain, (System.nanoTime() - t) / 1e9);
                }
            }
        }
        if (!which.equals("plain")) {
            System.out.printf("DV-BASI epoch (coefficients): %.3f s, %.1f GFLOP/s = %.0f%% of matmul%n", ours, flopsPerEpoch / ours / 1e9,
                    100 * flopsPerEpoch / ours / 1e9 / matmul);
        }
        if (!which.equals("ours")) {
            System.out.printf("plain forward+backward epoch: %.3f s, %.1f GFLOP/s = %.0f%% of matmul%n", plain, flopsPerEpoch / plain / 1e9,
                    100 * flopsPerEpoch / plain / 1e9 / matmul);
        }
        if (which.equals("both")) {
            System.out.printf("ratio DV-BASI / plain: %.2fx (target <= 1.30)%n", ours / plain);
        }
        System.out.println("peak RSS: " + peakRss());
    }

    static String peakRss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM")) {
                return line.substring(6).trim();
            }
        }
        return "unknown";
    }
}
