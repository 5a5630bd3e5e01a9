package org.taulab.repro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.taulab.Tau;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.eval.Classifier;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The evaluation the reproduction notebooks use: a zoo's tasks with its frozen heads, scored on val (for
 * every search) and reported on test, with the normalized accuracy against each task's own fine-tuned
 * model on the same images. In quick mode each split is a fixed random sample of at most
 * {@link #QUICK_SAMPLES} images per task; otherwise the whole split. The forward pass is
 * {@link Classifier#accuracy}, the same as {@code eval(weights, zoo)}.
 */
public final class Bench implements org.taulab.dsl.analysis.RegimeCard.Scorer {
    /** Images per task and split in quick mode. */
    public static final int QUICK_SAMPLES = 200;
    private static final long SAMPLE_SEED = 2024;
    private static final Map<String, Bench> SHARED = new ConcurrentHashMap<>();

    private final Zoo zoo;
    private final ZooEvaluator evaluator;
    private final int samples;
    private final Map<String, Map<String, ImageSet>> splits = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> individual = new ConcurrentHashMap<>();

    private Bench(Zoo zoo, int samples) {
        this.zoo = zoo;
        this.evaluator = ZooEvaluator.of(zoo);
        this.samples = samples;
        for (TaskData t : evaluator.data()) {
            Map<String, ImageSet> bySplit = new LinkedHashMap<>();
            for (String split : List.of("val", "test")) {
                bySplit.put(split, sample(t.split(split), samples, SAMPLE_SEED + split.hashCode() + t.name().hashCode()));
            }
            splits.put(t.name(), bySplit);
        }
    }

    /** The bench of a zoo in the current mode ({@link Tau#quick()}): shared, so its caches are too. */
    public static Bench of(Zoo zoo) {
        return of(zoo, Tau.quick() ? QUICK_SAMPLES : 0);
    }

    /** {@code samples} images per task and split at most (0: every image). */
    public static Bench of(Zoo zoo, int samples) {
        return SHARED.computeIfAbsent(zoo.dir().toAbsolutePath() + "#" + samples, k -> new Bench(zoo, samples));
    }

    static ImageSet sample(ImageSet set, int n, long seed) {
        if (n <= 0 || set.count() <= n) {
            return set;
        }
        int[] order = new int[set.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] chosen = java.util.Arrays.copyOf(order, n);
        java.util.Arrays.sort(chosen);
        return set.select(chosen);
    }

    public Zoo zoo() {
        return zoo;
    }

    public List<String> tasks() {
        return zoo.tasks();
    }

    /** Images per task and split at most (0: all). */
    public int samples() {
        return samples;
    }

    /** How the splits are sized, for captions: "full splits" or "200 images per task and split". */
    public String describe() {
        return samples <= 0 ? "full val/test splits" : "quick mode: " + samples + " images per task and split";
    }

    public ImageSet images(String task, String split) {
        Map<String, ImageSet> bySplit = splits.get(task);
        if (bySplit == null) {
            throw new TauLabException("zoo " + zoo.name() + " has no task '" + task + "'");
        }
        ImageSet s = bySplit.get(split);
        if (s == null) {
            throw new TauLabException("unknown split '" + split + "' (val, test)");
        }
        return s;
    }

    /** Accuracy in [0, 1] of an encoder on one task. */
    public double accuracy(Weights encoder, String task, String split) {
        return Classifier.accuracy(evaluator.vit(), encoder::get, evaluator.headWeight(task), evaluator.headBias(task), images(task, split));
    }

    /** Per-task accuracy in [0, 1] on {@code tasks}. */
    public Map<String, Double> accuracies(Weights encoder, List<String> tasks, String split) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String t : tasks) {
            out.put(t, accuracy(encoder, t, split));
        }
        return out;
    }

    /** Every task's accuracy; the encoder's materialized tensors are freed afterwards (it stays usable). */
    public Evaluation evaluate(Weights encoder, String split) {
        return evaluate(encoder, tasks(), split);
    }

    public Evaluation evaluate(Weights encoder, List<String> tasks, String split) {
        try {
            return new Evaluation(accuracies(encoder, tasks, split), individual(split));
        } finally {
            encoder.close();
        }
    }

    /** Each task's own fine-tuned model on it (the "individual" upper bound), cached per split. */
    public Map<String, Double> individual(String split) {
        return individual.computeIfAbsent(split, s -> {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String t : tasks()) {
                Weights ft = zoo.finetuned(t);
                out.put(t, accuracy(ft, t, s));
                ft.close();
            }
            return out;
        });
    }

    /** The score searches maximize: mean val accuracy over every task (never test). */
    public ToDoubleFunction<Weights> valScore() {
        return w -> evaluate(w, "val").average();
    }

    /** Per-task accuracies with their average and normalized average (in %). */
    public record Evaluation(Map<String, Double> accuracy, Map<String, Double> individual) {
        /** Mean accuracy over the evaluated tasks, in [0, 1]. */
        public double average() {
            return accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Mean over tasks of accuracy / individual accuracy, in [0, 1]. */
        public double normalized() {
            return accuracy.entrySet().stream().mapToDouble(e -> e.getValue() / individual.get(e.getKey())).average().orElse(Double.NaN);
        }

        public double of(String task) {
            return accuracy.get(task);
        }
    }

    /** A table: task, accuracy (%), normalized (%), and an average row (as {@code eval(weights, zoo)} shows). */
    public Table table(String title, Evaluation e) {
        StringColumn task = StringColumn.create("task");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn norm = DoubleColumn.create("normalized");
        for (Map.Entry<String, Double> a : e.accuracy().entrySet()) {
            task.append(a.getKey());
            acc.append(Format.pct(a.getValue()));
            norm.append(Format.pct(a.getValue() / e.individual().get(a.getKey())));
        }
        task.append("average");
        acc.append(Format.pct(e.average()));
        norm.append(Format.pct(e.normalized()));
        return Table.create(title).addColumns(task, acc, norm);
    }

    /** {@code encoder} on every task of the test split, as a table. */
    public Table eval(Weights encoder) {
        return table(encoder.label() + " on " + zoo.name() + " (test, " + describe() + ")", evaluate(encoder, "test"));
    }

    /** Evaluates several encoders in order, reporting progress. */
    public List<Evaluation> evaluateAll(List<Weights> encoders, String split, String label) {
        List<Evaluation> out = new ArrayList<>();
        Progress p = Progress.session();
        for (Weights w : encoders) {
            out.add(evaluate(w, split));
            p.update(label, out.size(), encoders.size());
        }
        return out;
    }
}
