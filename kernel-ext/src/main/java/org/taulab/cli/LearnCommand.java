package org.taulab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taulab.dsl.tensor.SafetensorsWriter;
import org.taulab.dsl.learn.LearnCatalogue;
import org.taulab.dsl.learn.LearnMethod;
import org.taulab.dsl.learn.LearnOptions;
import org.taulab.dsl.learn.LearnResult;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.dsl.learn.StartingPoints;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taulab learn METHOD}: learn merge coefficients on a zoo's val data and write the merged encoder. */
@Command(name = "learn", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Learn merge coefficients by gradient descent through the encoder (AdaMerging, AdaMerging+CART, aTLAS, DV-BASI),",
                "write the merged encoder and its per-epoch history, and print val/test accuracy before and after.",
                "Options left out take the method's defaults (docs/algorithms.md); an option a method does not have is an error."})
final class LearnCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "METHOD", description = "A learned merge: adamerging | adamerging-cart | atlas | dvbasi | dvbasi-negate | dvbasi-enhance | dvbasi-adapt.")
    String method;

    @Option(names = "--zoo", defaultValue = Zoo.DEFAULT, description = "The zoo (default: ${DEFAULT-VALUE}, the embedded benchmark).")
    String zooName;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors", description = "Where to write the learned encoder (atomically; never an input).")
    Path out;

    @Option(names = "--history", paramLabel = "H.csv", description = "Write the per-epoch history as CSV (iteration,epoch,steps,loss,val_accuracy,...).")
    Path history;

    @Option(names = "--init", paramLabel = "WEIGHTS.safetensors", description = "dvbasi: θ_0 from a file (any merge's result).")
    Path init;

    @Option(names = "--init-method", paramLabel = "METHOD", description = "dvbasi: θ_0 from task-arithmetic | ties | cart (λ searched on val) | atlas (default: task-arithmetic).")
    String initMethod;

    @Option(names = "--mode", defaultValue = "addition", description = "dvbasi: addition | negation | enhance | adapt (default: ${DEFAULT-VALUE}), the same as the methods dvbasi-negate, dvbasi-enhance, dvbasi-adapt; those need --task.")
    String mode;

    @Option(names = "--task", description = "The task negated (negation), enhanced (enhance) or adapted to (adapt).")
    String task;

    @Option(names = "--iterations", description = "dvbasi: outer iterations M (default 4).")
    Integer iterations;

    @Option(names = "--alpha", description = "dvbasi: initial scaling α of every block (default 0.1).")
    Double alpha;

    @Option(names = "--scaling", description = "dvbasi: anisotropic | isotropic | random (default anisotropic).")
    String scaling;

    @Option(names = "--moo", description = "dvbasi: step along MGDA's min-norm combination of the per-task gradients.")
    boolean moo;

    @Option(names = "--unsupervised", description = "Entropy loss on unlabeled inputs (AdaMerging's default) instead of cross-entropy.")
    boolean unsupervised;

    @Option(names = "--supervised", description = "Cross-entropy loss (for adamerging, whose default is unsupervised).")
    boolean supervised;

    @Option(names = "--granularity", description = "adamerging: layer | task (default layer).")
    String granularity;

    @Option(names = "--rank", description = "adamerging-cart: rank ratio of the centered vectors (default 0.08).")
    Double rank;

    @Option(names = "--steps", description = "adamerging: optimizer steps (default 500).")
    Integer steps;

    @Option(names = "--epochs", description = "atlas / dvbasi: epochs (per iteration) (defaults 20 / 60).")
    Integer epochs;

    @Option(names = "--patience", description = "Epochs without val improvement before stopping (dvbasi default 5; atlas 0 = off).")
    Integer patience;

    @Option(names = "--lr", description = "Learning rate (defaults: adamerging 1e-3, atlas 1e-3, dvbasi 1e-2).")
    Double lr;

    @Option(names = "--weight-decay", description = "AdamW weight decay (defaults: atlas 0.1, dvbasi 0).")
    Double weightDecay;

    @Option(names = "--batch", description = "Images per task per step (default 16).")
    Integer batch;

    @Option(names = "--seed", description = "Seed of the batch order (default 0).")
    Long seed;

    @Option(names = "--transductive", description = "Adapt on the test inputs (never their labels), as the AdaMerging paper; needs the unsupervised loss.")
    boolean transductive;

    @Option(names = "--quick", description = "Fewer samples, epochs and iterations (tests, previews); the same code paths.")
    boolean quick;

    @Override
    public Integer call() {
        TauLabCli.checkOut(out);
        checkNumbers();
        if (!LearnCatalogue.names().contains(method)) {
            throw new TauLabCli.UsageException("unknown method '" + method + "' (" + String.join(", ", LearnCatalogue.names()) + ")");
        }
        if (supervised && unsupervised) {
            throw new TauLabCli.UsageException("--supervised and --unsupervised exclude each other");
        }
        if (!method.equals("dvbasi") && !mode.equals("addition")) {
            throw new TauLabCli.UsageException("--mode applies to dvbasi only");
        }
        LearnMethod learned = LearnCatalogue.require(method.equals("dvbasi") ? MODES.get(mode) == null ? "dvbasi" : MODES.get(mode) : method);
        if (learned.start() == LearnMethod.Start.NONE && (init != null || initMethod != null || task != null)) {
            throw new TauLabCli.UsageException("--init, --init-method and --task do not apply to " + method);
        }
        if (learned.start() == LearnMethod.Start.TASK && (init != null || initMethod != null)) {
            throw new TauLabCli.UsageException("--init and --init-method do not apply to " + learned.name() + " (it starts from the task's own model)");
        }
        if (init != null && initMethod != null) {
            throw new TauLabCli.UsageException("give --init or --init-method, not both");
        }
        if (initMethod != null && !StartingPoints.METHODS.contains(initMethod)) {
            throw new TauLabCli.UsageException("--init-method must be one of " + String.join(", ", StartingPoints.METHODS) + ", not '" + initMethod + "'");
        }
        if (!List.of("addition", "negation", "enhance", "adapt").contains(mode)) {
            throw new TauLabCli.UsageException("--mode must be addition, negation, enhance or adapt, not '" + mode + "'");
        }
        if ((learned.start() == LearnMethod.Start.TARGET || learned.start() == LearnMethod.Start.TASK) && task == null) {
            throw new TauLabCli.UsageException((method.equals("dvbasi") ? "--mode " + mode : learned.name()) + " needs --task");
        }
        if (init != null && !Files.isRegularFile(init) && !Files.isDirectory(init)) {
            throw new TauLabCli.UsageException("--init " + init + ": no such file");
        }
        if (init != null && SafetensorsWriter.sameFile(out, init)) {
            throw new TauLabCli.UsageException("--out " + out + " is the --init file; refusing to overwrite it");
        }
        Zoo zoo = Zoo.open(zooName);
        for (Path input : zooFiles(zoo)) {
            if (SafetensorsWriter.sameFile(out, input)) {
                throw new TauLabCli.UsageException("--out " + out + " is a file of zoo " + zoo.name() + "; refusing to overwrite it");
            }
        }
        TerminalProgress progress = new TerminalProgress(System.err);
        LearnSetup setup = LearnSetup.of(zoo, quick, transductive, progress);
        long start = System.nanoTime();
        Weights theta0 = learned.start() == LearnMethod.Start.THETA0 || init != null || initMethod != null ? startingPoint(setup, zoo) : null;
        Weights start0 = theta0;
        LearnResult result = configure(learned.defaults(), o -> learned.run(setup, o, start0, task));
        result.weights().save(out);
        if (history != null) {
            result.history().writeCsv(history);
        }
        report(setup, result, theta0 != null ? theta0 : result.iterates().get(0));
        System.out.printf(Locale.ROOT, "%s: %d epochs in %.1f s -> %s%s%n", result.method(), result.history().size(), (System.nanoTime() - start) / 1e9, out,
                history == null ? "" : ", history " + history);
        return 0;
    }

    /** Every number given is in its range, checked before any data is read. */
    private void checkNumbers() {
        atLeast("--iterations", iterations, 1);
        atLeast("--steps", steps, 1);
        atLeast("--epochs", epochs, 1);
        atLeast("--patience", patience, 0);
        atLeast("--batch", batch, 1);
        positive("--alpha", alpha);
        positive("--lr", lr);
        if (weightDecay != null && !(weightDecay >= 0)) {
            throw new TauLabCli.UsageException("--weight-decay " + weightDecay + " must be >= 0");
        }
        if (rank != null && !(rank > 0 && rank <= 1)) {
            throw new TauLabCli.UsageException("--rank " + rank + " must be in (0, 1] (a rank ratio)");
        }
    }

    private static void atLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw new TauLabCli.UsageException(option + " " + value + " must be >= " + min);
        }
    }

    private static void positive(String option, Double value) {
        if (value != null && !(value > 0)) {
            throw new TauLabCli.UsageException(option + " " + value + " must be > 0");
        }
    }

    /** dvbasi's --mode, the older spelling of the DV-BASI variants' own names. */
    private static final Map<String, String> MODES = Map.of("addition", "dvbasi", "negation", "dvbasi-negate", "enhance", "dvbasi-enhance",
            "adapt", "dvbasi-adapt");

    private Weights startingPoint(LearnSetup setup, Zoo zoo) {
        if (init != null) {
            Weights w = Weights.load(init);
            zoo.pretrained().requireSameFloatLayout(w);
            return w;
        }
        String m = initMethod == null ? "task-arithmetic" : initMethod;
        System.err.println("θ_0: " + m + (m.equals("atlas") ? "" : " with λ searched on val"));
        return StartingPoints.of(m, setup);
    }

    /** Applies every option given on the command line to the method's parameters (unknown ones fail with the method's list). */
    private LearnResult configure(LearnOptions defaults, java.util.function.Function<LearnOptions, LearnResult> run) {
        Map<String, Object> given = new LinkedHashMap<>();
        put(given, "iterations", iterations);
        put(given, "alpha", alpha);
        put(given, "scaling", scaling);
        put(given, "moo", moo ? Boolean.TRUE : null);
        put(given, "unsupervised", unsupervised ? Boolean.TRUE : supervised ? Boolean.FALSE : null);
        put(given, "granularity", granularity);
        put(given, "rank", rank);
        put(given, "steps", steps);
        put(given, "epochs", epochs);
        put(given, "patience", patience);
        put(given, "lr", lr);
        put(given, "weight_decay", weightDecay);
        put(given, "batch", batch);
        put(given, "seed", seed);
        LearnOptions o = defaults;
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!o.asMap().containsKey(e.getKey())) {
                throw new TauLabCli.UsageException("--" + e.getKey().replace('_', '-') + " does not apply to " + method
                        + " (its parameters: " + String.join(", ", o.asMap().keySet()) + ")");
            }
            o = o.with(e.getKey(), e.getValue());
        }
        System.err.println(method + " " + o);
        return run.apply(o);
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static List<Path> zooFiles(Zoo zoo) {
        List<Path> files = new ArrayList<>(List.of(zoo.pretrainedFile()));
        for (String t : zoo.tasks()) {
            files.add(zoo.finetunedFile(t));
            files.add(zoo.headFile(t));
        }
        return files;
    }

    /** Val (the eval subsets) and test accuracy per task: the starting point and the result. */
    private static void report(LearnSetup setup, LearnResult result, Weights theta0) {
        List<String> tasks = result.history().tasks();
        Map<String, Double> testAfter = setup.testAccuracy(result.weights(), tasks);
        Map<String, Double> testBefore = theta0 == null ? null : setup.testAccuracy(theta0, tasks);
        System.out.printf("%-18s %10s %10s %10s %10s%n", "task", "val θ0", "val final", "test θ0", "test final");
        for (String t : tasks) {
            System.out.printf(Locale.ROOT, "%-18s %10.2f %10.2f %10s %10.2f%n", t, 100 * result.initialVal().get(t), 100 * result.finalVal().get(t),
                    testBefore == null ? "-" : String.format(Locale.ROOT, "%.2f", 100 * testBefore.get(t)), 100 * testAfter.get(t));
        }
        System.out.printf(Locale.ROOT, "%-18s %10.2f %10.2f %10s %10.2f%n", "average", 100 * result.initialValAccuracy(), 100 * result.finalValAccuracy(),
                testBefore == null ? "-" : String.format(Locale.ROOT, "%.2f", 100 * mean(testBefore)), 100 * mean(testAfter));
    }

    private static double mean(Map<String, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
