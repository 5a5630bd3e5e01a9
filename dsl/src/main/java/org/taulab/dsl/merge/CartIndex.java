package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * CART-Indexing (compression): one shared {@code θ_avg} plus, per task and selected matrix, only the
 * rank-k factors {@code U_k, σ_k, V_k} of {@code ν_t}. Task t's model is {@code θ_avg + λ SVD_k(ν_t)}.
 */
public final class CartIndex {
    private final MergeInputs inputs;
    private final Rank rank;
    private final double lambda;
    private final Selector selector;
    private final SvdChoice svd;

    public CartIndex(MergeInputs inputs, Rank rank, double lambda, Selector selector, SvdChoice svd) {
        this.inputs = inputs;
        this.rank = rank;
        this.lambda = lambda;
        this.selector = selector;
        this.svd = svd;
    }

    public static CartIndex build(MergeInputs inputs) {
        return new CartIndex(inputs, Rank.ratio(0.08), 1.0, Selector.defaultMatrices(), SvdChoice.AUTO);
    }

    public CartIndex rank(Object r) {
        return new CartIndex(inputs, Rank.parse(r), lambda, selector, svd);
    }

    public CartIndex lambda(double l) {
        return new CartIndex(inputs, rank, l, selector, svd);
    }

    /** How the rank-k factors are computed ({@code exact}, {@code truncated} or {@code auto}). */
    public CartIndex svd(Object choice) {
        return new CartIndex(inputs, rank, lambda, selector, SvdChoice.parse(choice));
    }

    public List<String> tasks() {
        return inputs.tasks();
    }

    /** The model served for one task. */
    public Weights weightsFor(String task) {
        int t = inputs.tasks().indexOf(task);
        if (t < 0) {
            throw new TauLabException("cart-indexing: unknown task '" + task + "' (tasks: " + String.join(", ", inputs.tasks()) + ")");
        }
        return weightsFor(t);
    }

    public Weights weightsFor(int t) {
        Weights avg = inputs.average();
        TaskVector nu = inputs.centered().get(t);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("taulab.method", "cart-indexing");
        meta.put("taulab.task", inputs.tasks().get(t));
        return inputs.build("cart-indexing(" + inputs.tasks().get(t) + ")", meta, (name, m) -> {
            if (!selector.test(inputs.layout().entry(name))) {
                return avg.compute(name, m);
            }
            return LowRankSum.of(inputs, List.of(nu), name, rank, lambda, svd, m).addi(avg.compute(name, m));
        });
    }

    /** Floats stored: the average once, plus {@code k(m + n + 1)} per task and selected matrix. */
    public long storedFloats() {
        long stored = inputs.layout().parameterCount();
        for (TensorEntry e : selected()) {
            int k = rank.k((int) e.shape()[0], (int) e.shape()[1]);
            stored += (long) inputs.count() * k * (e.shape()[0] + e.shape()[1] + 1);
        }
        return stored;
    }

    private List<TensorEntry> selected() {
        List<TensorEntry> list = new ArrayList<>();
        for (TensorEntry e : inputs.layout().entries().values()) {
            if (selector.test(e)) {
                list.add(e);
            }
        }
        return list;
    }

    /** Storage of T separate fine-tuned models against the index (floats and ratio). */
    public Table compressionTable() {
        long perModel = inputs.layout().parameterCount();
        long separate = perModel * inputs.count();
        long indexed = storedFloats();
        Table t = Table.create("CART-Indexing storage (rank " + rank + ")");
        t.addColumns(StringColumn.create("storage", "T fine-tuned models", "CART-Indexing (θ_avg + rank-k factors)"),
                LongColumn.create("floats", separate, indexed),
                DoubleColumn.create("MB (float32)", separate * 4 / 1e6, indexed * 4 / 1e6),
                DoubleColumn.create("relative", 1.0, indexed / (double) separate));
        return t;
    }

    /** Decomposes every selected matrix now (they are cached for {@link #weightsFor}). */
    public CartIndex precompute() {
        for (TaskVector nu : inputs.centered()) {
            for (TensorEntry e : selected()) {
                Svd unused = nu.svd(e.name(), rank.k((int) e.shape()[0], (int) e.shape()[1]), svd);
                assert unused != null;
            }
        }
        return this;
    }
}
