package org.taulab.dsl.eval;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.merge.FiniteCheck;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Evaluates encoders on a zoo's tasks with its frozen heads: per-task accuracy, the average, and the
 * normalized accuracy (merged / individual fine-tuned, averaged over tasks). Data, heads and the
 * individual accuracies are loaded once per zoo and split.
 */
public final class ZooEvaluator {
    private static final Map<String, ZooEvaluator> BY_ZOO = new ConcurrentHashMap<>();

    private final Zoo zoo;
    private final ClipVit vit;
    private final List<TaskData> data;
    private final Map<String, Weights> heads = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> individual = new ConcurrentHashMap<>();
    /** Encoders read from files already checked for NaN and Inf (merged ones are checked as they are computed). */
    private final Set<Weights> checked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private ZooEvaluator(Zoo zoo) {
        this.zoo = zoo;
        this.vit = new ClipVit(VitConfig.of(zoo.pretrained()));
        this.data = zoo.data();
        for (String t : zoo.tasks()) {
            heads.put(t, zoo.head(t));
        }
    }

    public static ZooEvaluator of(Zoo zoo) {
        return BY_ZOO.computeIfAbsent(zoo.dir().toAbsolutePath().toString(), k -> new ZooEvaluator(zoo));
    }

    public Zoo zoo() {
        return zoo;
    }

    public List<TaskData> data() {
        return data;
    }

    public ClipVit vit() {
        return vit;
    }

    public NDArray headWeight(String task) {
        return heads.get(task).get("weight");
    }

    public NDArray headBias(String task) {
        return heads.get(task).get("bias");
    }

    /** Accuracy in [0, 1] of {@code encoder} on one task's split. */
    public double accuracy(Weights encoder, String task, String split) {
        TaskData t = task(task);
        requireFinite(encoder);
        Weights head = heads.get(task);
        return Classifier.accuracy(vit, encoder::get, head.get("weight"), head.get("bias"), t.split(split));
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
        Map<String, Double> out = new LinkedHashMap<>();
        int i = 0;
        for (TaskData t : data) {
            out.put(t.name(), accuracy(encoder, t.name(), split));
            progress.update("evaluating on " + split, ++i, data.size());
        }
        return out;
    }

    /** Each fine-tuned model on its own task (the "individual" row); cached per split. */
    public Map<String, Double> individual(String split) {
        return individual.computeIfAbsent(split, s -> {
            Map<String, Double> out = new LinkedHashMap<>();
            for (TaskData t : data) {
                Weights ft = zoo.finetuned(t.name());
                out.put(t.name(), accuracy(ft, t.name(), s));
                ft.close();
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

    public Table eval(Weights encoder, String split) {
        return table(encoder.label() + " on " + zoo.name() + " (" + split + ")", accuracies(encoder, split, Progress.session()), split);
    }

    /** The score merge searches maximize: mean accuracy over tasks on val (never test). */
    public java.util.function.ToDoubleFunction<Weights> valScore() {
        return w -> averageAccuracy(w, "val");
    }

    /** Mean accuracy over tasks in [0, 1] (the score searches maximize on val). */
    public double averageAccuracy(Weights encoder, String split) {
        return accuracies(encoder, split, Progress.NONE).values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private TaskData task(String name) {
        for (TaskData t : data) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new TauLabException("zoo " + zoo.name() + " has no task '" + name + "'");
    }
}
