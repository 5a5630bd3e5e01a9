package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * What a merge combines: the fine-tuned models, the pretrained base (optional for some merges), and
 * the task names. Derived values (the average, the task vectors, the centered vectors) are built once
 * and shared, so their decompositions are cached across every merge and parameter point that uses them.
 */
public final class MergeInputs {
    private final Weights base;
    private final List<Weights> finetuned;
    private final List<String> tasks;
    private Weights average;
    private final RecentTensors averageTensors = new RecentTensors();
    private List<TaskVector> taskVectors;
    private List<TaskVector> centered;
    private boolean keepDecompositions = true;
    private final List<Rank> plannedRanks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MergeInputs(Weights base, List<Weights> finetuned, List<String> tasks) {
        if (finetuned.isEmpty()) {
            throw new TauLabException("a merge needs at least one fine-tuned model");
        }
        if (tasks.size() != finetuned.size()) {
            throw new TauLabException(tasks.size() + " task names for " + finetuned.size() + " fine-tuned models");
        }
        Weights first = finetuned.get(0);
        for (int i = 1; i < finetuned.size(); i++) {
            first.requireSameFloatLayout(finetuned.get(i));
        }
        if (base != null) {
            base.requireSameFloatLayout(first);
        }
        this.base = base;
        this.finetuned = List.copyOf(finetuned);
        this.tasks = List.copyOf(tasks);
    }

    public MergeInputs(Weights base, List<Weights> finetuned) {
        this(base, finetuned, defaultNames(finetuned));
    }

    private static List<String> defaultNames(List<Weights> fts) {
        List<String> names = new ArrayList<>();
        for (Weights w : fts) {
            names.add(w.label().replaceFirst("\\.safetensors$", ""));
        }
        return names;
    }

    /**
     * For a single merge streamed to disk (the command line): decompositions are dropped as soon as their
     * tensor is written, instead of being kept for later parameter points (a sweep keeps them).
     */
    public MergeInputs oneShot() {
        keepDecompositions = false;
        return this;
    }

    /**
     * Announces the ranks a sweep will ask for, so that each matrix is decomposed once, at the largest of them,
     * and smaller ranks reuse those leading triplets.
     */
    public MergeInputs planRanks(java.util.Collection<?> ranks) {
        for (Object r : ranks) {
            plannedRanks.add(Rank.parse(r));
        }
        return this;
    }

    /** The largest planned rank of an m × n matrix (0 when none was planned). */
    int plannedRank(int rows, int cols) {
        int k = 0;
        for (Rank r : plannedRanks) {
            k = Math.max(k, r.k(rows, cols));
        }
        return k;
    }

    /** Whether this is a single merge streamed to disk ({@link #oneShot()}), which keeps no decompositions. */
    boolean isOneShot() {
        return !keepDecompositions;
    }

    /** Called once a tensor's low-rank result is computed. */
    void doneWith(List<TaskVector> vectors, String name) {
        if (!keepDecompositions) {
            vectors.forEach(v -> v.forgetDecomposition(name));
        }
    }

    public Weights base() {
        return base;
    }

    public Weights requireBase(String method) {
        if (base == null) {
            throw new TauLabException(method + " needs the pretrained base model (--base)");
        }
        return base;
    }

    public List<Weights> finetuned() {
        return finetuned;
    }

    public List<String> tasks() {
        return tasks;
    }

    public int count() {
        return finetuned.size();
    }

    /** Where integer and bool tensors of a merged model come from: the base if given, else the first model. */
    public Weights layout() {
        return base != null ? base : finetuned.get(0);
    }

    /** {@code θ_avg = (1/T) Σ θ_t}. */
    public synchronized Weights average() {
        if (average == null) {
            // checked once, when computed: the memo's later copies of a tensor are the same values
            average = buildUnchecked("average", Map.of(), (name, m) -> averageTensors.compute(name, m, mm -> averageOf(name, mm)));
        }
        return average;
    }

    /**
     * Starts computing θ_avg's tensor {@code name} on a helper thread, for a merge that knows which matrix comes
     * next: reading and summing the T models is serial, and overlaps the current matrix's parallel work instead.
     */
    public void averageAhead(String name) {
        averageTensors.ahead(name, mm -> averageOf(name, mm));
    }

    private NDArray averageOf(String name, NDManager mm) {
        NDArray acc = finetuned.get(0).compute(name, mm);
        for (int i = 1; i < count(); i++) {
            acc.addi(finetuned.get(i).compute(name, mm));
        }
        return finiteResult(name, acc.divi(count()));
    }

    /** {@code τ_t = θ_t − θ_pre}. */
    public synchronized List<TaskVector> taskVectors() {
        if (taskVectors == null) {
            Weights b = requireBase("task vectors");
            List<TaskVector> list = new ArrayList<>();
            for (int i = 0; i < count(); i++) {
                list.add(relabel(finetuned.get(i).minus(b), "τ(" + tasks.get(i) + ")"));
            }
            taskVectors = List.copyOf(list);
        }
        return taskVectors;
    }

    /** {@code ν_t = θ_t − θ_avg} (they sum to zero). */
    public synchronized List<TaskVector> centered() {
        if (centered == null) {
            Weights avg = average();
            List<TaskVector> list = new ArrayList<>();
            for (int i = 0; i < count(); i++) {
                list.add(relabel(finetuned.get(i).minus(avg), "ν(" + tasks.get(i) + ")"));
            }
            centered = List.copyOf(list);
        }
        return centered;
    }

    private static TaskVector relabel(TaskVector v, String label) {
        return new TaskVector(v.entries(), v.metadata(), label);
    }

    /**
     * A lazily merged model: each float tensor from {@code kernel(name, manager)}, every other tensor
     * copied from {@link #layout()}.
     */
    public Weights build(String label, Map<String, String> metadata, BiFunction<String, NDManager, NDArray> kernel) {
        return buildUnchecked(label, metadata, (k, m) -> finiteResult(k, kernel.apply(k, m)));
    }

    /** The same with a kernel that checks its own results for NaN and Inf. */
    private Weights buildUnchecked(String label, Map<String, String> metadata, BiFunction<String, NDManager, NDArray> kernel) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        layout().entries().forEach((k, e) -> entries.put(k, e.isFloat() ? e.withSource(m -> kernel.apply(k, m)) : e));
        return new Weights(entries, metadata, label);
    }

    /**
     * NaN and Inf propagate through every merge, so one check of each merged tensor replaces a check of
     * every input; only when it fails are the inputs searched for the culprit.
     */
    private NDArray finiteResult(String name, NDArray merged) {
        if (!Float.isFinite(merged.sum().getFloat()) && (merged.isNaN().any().getBoolean() || merged.isInfinite().any().getBoolean())) {
            requireFinite(name);
            throw new TauLabException("merged tensor '" + name + "' overflowed to Inf or NaN (inputs are finite)");
        }
        return merged;
    }

    /** Fails naming the first input whose tensor {@code name} holds NaN or Inf. */
    public void requireFinite(String name) {
        List<Weights> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(finetuned);
        for (Weights w : all) {
            try (NDManager m = org.taulab.dsl.tensor.Tensors.scope()) {
                FiniteCheck.require(w.compute(name, m), name, w.label());
            }
        }
    }
}
