package org.taulab.dsl.eval;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.taulab.dsl.Progress;
import org.taulab.dsl.QuickMode;
import org.taulab.dsl.Session;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.merge.FiniteCheck;
import org.taulab.dsl.model.Classifier;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The one evaluator: encoders on a zoo's tasks with its frozen heads, per-task accuracy, the average, and the
 * normalized accuracy (merged / each task's own fine-tuned model on the same images, averaged over tasks). It
 * scores on val for every search and reports on test. On the full splits by default; {@link #of(Zoo, int)} takes a
 * fixed seeded sample of at most that many images per task and split (quick mode uses {@link #QUICK_SAMPLES}).
 * Data, heads, samples and the individual accuracies are loaded once per zoo and size, and kept in the session.
 */
public final class ZooEvaluator {
    /** Images per task and split in quick mode. */
    public static final int QUICK_SAMPLES = 200;
    private static final long SAMPLE_SEED = 2024;

    private final Zoo zoo;
    private final int samples;
    private final ClipVit vit;
    private final List<TaskData> data;
    private final Map<String, Weights> heads = new LinkedHashMap<>();
    private final Map<String, Map<String, ImageSet>> splits = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> individual = new ConcurrentHashMap<>();
    /** Encoders read from files already checked for NaN and Inf (merged ones are checked as they are computed). */
    private final Set<Weights> checked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private ZooEvaluator(Zoo zoo, int samples) {
        this.zoo = zoo;
        this.samples = Math.max(0, samples);
        this.vit = new ClipVit(VitConfig.of(zoo.pretrained()));
        this.data = zoo.data();
        for (String t : zoo.tasks()) {
            heads.put(t, zoo.head(t));
        }
    }

    /** On the full splits. */
    public static ZooEvaluator of(Zoo zoo) {
        return of(zoo, 0);
    }

    /** On at most {@code samples} images per task and split (0: every image). */
    public static ZooEvaluator of(Zoo zoo, int samples) {
        return Session.current().remember(Session.key("evaluator " + zoo.dir().toAbsolutePath() + "#" + Math.max(0, samples), ZooEvaluator.class),
                () -> new ZooEvaluator(zoo, samples));
    }

    /** As the session's mode asks: {@link #QUICK_SAMPLES} images per task and split in quick mode, else full splits. */
    public static ZooEvaluator session(Zoo zoo) {
        return of(zoo, QuickMode.on() ? QUICK_SAMPLES : 0);
    }

    public Zoo zoo() {
        return zoo;
    }

    public List<String> tasks() {
        return zoo.tasks();
    }

    public List<TaskData> data() {
        return data;
    }

    /** Images per task and split at most (0: all). */
    public int samples() {
        return samples;
    }

    /** How the splits are sized, for captions: "full val/test splits" or "quick mode: 200 images per task and split". */
    public String describe() {
        return samples == 0 ? "full val/test splits" : "quick mode: " + samples + " images per task and split";
    }

    public ClipVit vit() {
        return vit;
    }

    public NDArray headWeight(String task) {
        return head(task).get("weight");
    }

    public NDArray headBias(String task) {
        return head(task).get("bias");
    }

    private Weights head(String task) {
        Weights h = heads.get(task);
        if (h == null) {
            throw unknownTask(task);
        }
        return h;
    }

    /** The images one task is scored on: the split itself, or its fixed sample. */
    public ImageSet images(String task, String split) {
        if (!split.equals("val") && !split.equals("test") && !split.equals("train")) {
            throw new TauLabException("unknown split '" + split + "' (val, test)");
        }
        TaskData t = task(task);
        return splits.computeIfAbsent(task, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(split, s -> sample(t.split(s), samples, SAMPLE_SEED + s.hashCode() + task.hashCode()));
    }

    /** A seeded sample of {@code n} images in their original order ({@code set} itself when n is 0 or not smaller). */
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
        int[] chosen = Arrays.copyOf(order, n);
        Arrays.sort(chosen);
        return set.select(chosen);
    }

    /** Accuracy in [0, 1] of {@code encoder} on one task's split. */
    public double accuracy(Weights encoder, String task, String split) {
        ImageSet images = images(task, split);
        requireFinite(encoder);
        Weights head = head(task);
        return Classifier.accuracy(vit, encoder::get, head.get("weight"), head.get("bias"), images);
    }

    private void requireFinite(Weights encoder) {
        if (encoder.file() != null && checked.add(encoder)) {
            try {
                FiniteCheck.require(encoder);
            } catch (RuntimeException e) {
                checked.remove(encoder);
                throw e;
            }
        }
    }

    /** Per-task accuracy of one encoder on every task. */
    public Map<String, Double> accuracies(Weights encoder, String split, Progress progress) {
        return accuracies(encoder, tasks(), split, progress);
    }

    public Map<String, Double> accuracies(Weights encoder, List<String> tasks, String split, Progress progress) {
        Map<String, Double> out = new LinkedHashMap<>();
        int i = 0;
        for (String t : tasks) {
            out.put(t, accuracy(encoder, t, split));
            progress.update("evaluating on " + split, ++i, tasks.size());
        }
        return out;
    }

    /** Every task's accuracy with the individual row beside it; the encoder's computed tensors are freed afterwards (it stays usable). */
    public Evaluation evaluate(Weights encoder, String split) {
        return evaluate(encoder, tasks(), split);
    }

    public Evaluation evaluate(Weights encoder, List<String> tasks, String split) {
        try {
            return new Evaluation(accuracies(encoder, tasks, split, Progress.NONE), individual(split));
        } finally {
            encoder.close();
        }
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

    /**
     * Each fine-tuned model on its own task (the "individual" row), on the same images; remembered per split, and
     * across runs by {@link IndividualAccuracies} (keyed by the files, the images and the build).
     */
    public Map<String, Double> individual(String split) {
        return individual.computeIfAbsent(split, s -> {
            String code = IndividualAccuracies.code();
            Map<String, Double> out = new LinkedHashMap<>();
            for (TaskData t : data) {
                String key = code == null ? null
                        : IndividualAccuracies.key(zoo.finetunedFile(t.name()), zoo.headFile(t.name()), images(t.name(), s), code);
                Double known = key == null ? null : IndividualAccuracies.get(key);
                if (known == null) {
                    Weights ft = zoo.finetuned(t.name());
                    known = accuracy(ft, t.name(), s);
                    ft.close();
                    if (key != null) {
                        IndividualAccuracies.put(key, known);
                    }
                }
                out.put(t.name(), known);
            }
            return out;
        });
    }

    /** A table: task, accuracy (%), normalized (%), and a final average row. */
    public Table table(String title, Map<String, Double> accuracies, String split) {
        Map<String, Double> ind = individual(split);
        StringColumn task = StringColumn.create("task");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn norm = DoubleColumn.create("normalized");
        double sumAcc = 0;
        double sumNorm = 0;
        for (Map.Entry<String, Double> e : accuracies.entrySet()) {
            double a = 100 * e.getValue();
            double n = 100 * e.getValue() / ind.get(e.getKey());
            task.append(e.getKey());
            acc.append(a);
            norm.append(n);
            sumAcc += a;
            sumNorm += n;
        }
        task.append("average");
        acc.append(sumAcc / accuracies.size());
        norm.append(sumNorm / accuracies.size());
        return Table.create(title).addColumns(task, acc, norm);
    }

    /** An evaluation as a table (percentages to one decimal), with an average row. */
    public Table table(String title, Evaluation e) {
        StringColumn task = StringColumn.create("task");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn norm = DoubleColumn.create("normalized");
        for (Map.Entry<String, Double> a : e.accuracy().entrySet()) {
            task.append(a.getKey());
            acc.append(pct(a.getValue()));
            norm.append(pct(a.getValue() / e.individual().get(a.getKey())));
        }
        task.append("average");
        acc.append(pct(e.average()));
        norm.append(pct(e.normalized()));
        return Table.create(title).addColumns(task, acc, norm);
    }

    private static double pct(double fraction) {
        return Math.round(fraction * 1000) / 10.0;
    }

    public Table eval(Weights encoder, String split) {
        return table(encoder.label() + " on " + zoo.name() + " (" + split + ")", accuracies(encoder, split, Progress.session()), split);
    }

    /** {@code encoder} on every task of the test split, as a table (the notebooks' form). */
    public Table eval(Weights encoder) {
        return table(encoder.label() + " on " + zoo.name() + " (test, " + describe() + ")", evaluate(encoder, "test"));
    }

    /** The score merge searches maximize: mean accuracy over tasks on val (never test). */
    public ToDoubleFunction<Weights> valScore() {
        return w -> evaluate(w, "val").average();
    }

    /** Mean accuracy over tasks in [0, 1]. */
    public double averageAccuracy(Weights encoder, String split) {
        return accuracies(encoder, split, Progress.NONE).values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private TaskData task(String name) {
        for (TaskData t : data) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw unknownTask(name);
    }

    private TauLabException unknownTask(String name) {
        return new TauLabException(org.taulab.dsl.zoo.TaskMap.noTask(zoo.name(), name, zoo.tasks()));
    }
}
