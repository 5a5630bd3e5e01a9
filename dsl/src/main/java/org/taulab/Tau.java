package org.taulab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.Session;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.analysis.Analyses;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.merge.CartIndex;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.MergeMethod;
import org.taulab.dsl.merge.MergeResult;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;
import tech.tablesaw.api.Table;

/**
 * The DSL's entry point, imported statically in every notebook: task arithmetic written the way the
 * papers write it ({@code tau(ft)}, {@code svdK(v, 0.08)}, {@code cart(fts)}).
 */
public final class Tau {
    private static final Session.Key<Weights> BASE = Session.key("base", Weights.class);

    /** The environment variable that puts notebooks in quick mode ({@code TAULAB_QUICK=1}). */
    public static final String QUICK_ENV = org.taulab.dsl.QuickMode.ENV;

    private Tau() {
    }

    /**
     * Whether notebooks run in quick mode ({@code TAULAB_QUICK=1} in the environment, or
     * {@code -Dtaulab.quick=true}): the same code paths on fewer samples, grid points and task subsets.
     */
    public static boolean quick() {
        return org.taulab.dsl.QuickMode.on();
    }

    /** {@code quickValue} in quick mode, else {@code fullValue}: {@code int samples = quickOr(2, 20);}. */
    public static <T> T quickOr(T quickValue, T fullValue) {
        return quick() ? quickValue : fullValue;
    }

    /** Opens a safetensors file (lazily: tensors are read when used). */
    public static Weights load(String path) {
        return Weights.load(Path.of(path));
    }

    /** Sets the session's pretrained model, the default base of {@link #tau(Weights)}. */
    public static Weights base(Weights pre) {
        return Session.current().set(BASE, pre);
    }

    /** {@code τ = ft − base} against the session's base (see {@link #base}). */
    public static TaskVector tau(Weights ft) {
        Weights b = Session.current().get(BASE);
        if (b == null) {
            throw new TauLabException("tau(" + ft.label() + "): no base model; call base(pre) first or use tau(ft, pre)");
        }
        return tau(ft, b);
    }

    public static TaskVector tau(Weights ft, Weights base) {
        TaskVector v = ft.minus(base);
        return new TaskVector(v.entries(), v.metadata(), "τ(" + ft.label() + ")");
    }

    public static TaskVector sum(List<TaskVector> vectors) {
        if (vectors.isEmpty()) {
            throw new TauLabException("sum of an empty list of task vectors");
        }
        TaskVector acc = vectors.get(0);
        for (int i = 1; i < vectors.size(); i++) {
            acc = acc.plus(vectors.get(i));
        }
        return acc;
    }

    public static TaskVector mean(List<TaskVector> vectors) {
        return sum(vectors).divide(vectors.size());
    }

    /** Rank-k truncation of every default-selected matrix (rank: a ratio like 0.08 or an absolute k). */
    public static TaskVector svdK(TaskVector v, Object rank) {
        return svdK(v, rank, Selector.defaultMatrices());
    }

    public static TaskVector svdK(TaskVector v, Object rank, Selector selector) {
        return lowRank(v, Rank.parse(rank), selector, SvdChoice.AUTO);
    }

    /** As {@link #svdK(TaskVector, Object)}, the decomposition being {@code "exact"}, {@code "truncated"} or {@code "auto"}. */
    public static TaskVector svdK(TaskVector v, Object rank, Object svd) {
        return lowRank(v, Rank.parse(rank), Selector.defaultMatrices(), SvdChoice.parse(svd));
    }

    private static TaskVector lowRank(TaskVector v, Rank r, Selector selector, SvdChoice choice) {
        java.util.Map<String, org.taulab.dsl.tensor.TensorEntry> entries = new java.util.LinkedHashMap<>();
        v.entries().forEach((k, e) -> entries.put(k, selector.test(e) ? e.withSource(m -> {
            int rank = r.k((int) e.shape()[0], (int) e.shape()[1]);
            return m.create(v.svd(k, rank, choice).truncate(rank), new ai.djl.ndarray.types.Shape(e.shape()));
        }) : e));
        return new TaskVector(entries, v.metadata(), "svdK(" + v.label() + ", " + r + ")");
    }

    public static MergeInputs inputs(Weights pre, List<Weights> fts) {
        return new MergeInputs(pre, fts);
    }

    /**
     * Any merge of the catalogue by name ({@code taulab merge --list}), with its default parameters:
     * {@code merge("ties", pre, fts)}; {@code pre} may be null for merges that need no base.
     */
    public static MergeResult merge(String method, Weights pre, List<Weights> fts) {
        return merge(method, pre, fts, Map.of());
    }

    /** As {@link #merge(String, Weights, List)} with parameters by name: {@code merge("ties", pre, fts, Map.of("topk", 0.1))}. */
    public static MergeResult merge(String method, Weights pre, List<Weights> fts, Map<String, ?> parameters) {
        MergeMethod m = MergeCatalogue.require(method);
        if (m.needsBase() && pre == null) {
            throw new TauLabException(m.name() + " needs the pretrained model (pass it as pre)");
        }
        return m.create(parameters).apply(new MergeInputs(pre, fts));
    }

    /** A catalogue entry, for sweeps and inspection: {@code method("cart").create(Map.of("rank", 0.04))}. */
    public static MergeMethod method(String name) {
        return MergeCatalogue.require(name);
    }

    /** Weight averaging, {@code (1/T) Σ θ_t}: {@code merge("average", null, fts)}. */
    public static MergeResult average(List<Weights> fts) {
        return merge("average", null, fts);
    }

    public static CartIndex cartIndexing(List<Weights> fts, Object rank, double lambda) {
        return CartIndex.build(new MergeInputs(null, fts)).rank(rank).lambda(lambda);
    }

    public static Table cosineMatrix(List<TaskVector> vectors) {
        List<String> names = new ArrayList<>();
        vectors.forEach(v -> names.add(v.label()));
        return Analyses.cosineMatrix(vectors, names);
    }

    public static Table norms(Weights w) {
        return Analyses.norms(w);
    }

    /** A model zoo by name ({@code mosaic8}, the default embedded benchmark, or {@code mini8}) or directory. */
    public static org.taulab.dsl.zoo.Zoo zoo(String name) {
        return org.taulab.dsl.zoo.Zoo.open(name);
    }

    /** Accuracy of an encoder on every task of the zoo (test split): per task, average, normalized. */
    public static Table eval(Weights encoder, org.taulab.dsl.zoo.Zoo zoo) {
        return eval(encoder, zoo, "test");
    }

    public static Table eval(Weights encoder, org.taulab.dsl.zoo.Zoo zoo, String split) {
        return org.taulab.dsl.eval.ZooEvaluator.of(zoo).eval(encoder, split);
    }

}
