package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;

/**
 * An ordered, immutable map of named tensors whose float tensors are computed lazily. Weights and task
 * vectors are both state dicts; arithmetic builds new lazy dicts, so a chain like
 * {@code pre + 0.3 * (tau(a) + tau(b))} streams tensor by tensor when it is saved or evaluated.
 */
public abstract class StateDict implements AutoCloseable {
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;
    private final String label;
    private final Map<String, NDArray> materialized = new ConcurrentHashMap<>();
    private final Map<String, SoftReference<Svd>> decompositions = new ConcurrentHashMap<>();
    private NDManager manager;

    protected StateDict(Map<String, TensorEntry> entries, Map<String, String> metadata, String label) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.label = label;
    }

    /** What this value is, for messages: a file name or the expression that made it. */
    public String label() {
        return label;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Map<String, TensorEntry> entries() {
        return entries;
    }

    public List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    /** Names of the float tensors, the ones arithmetic and merges touch. */
    public List<String> floatKeys() {
        List<String> keys = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (e.isFloat()) {
                keys.add(k);
            }
        });
        return keys;
    }

    public Map<String, Shape> shapes() {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        entries.forEach((k, e) -> shapes.put(k, new Shape(e.shape())));
        return shapes;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public int size() {
        return entries.size();
    }

    public TensorEntry entry(String name) {
        TensorEntry e = entries.get(name);
        if (e == null) {
            throw new TauLabException(label + ": no tensor named '" + name + "'");
        }
        return e;
    }

    public DType dtype(String name) {
        return entry(name).dtype();
    }

    /** Number of float parameters. */
    public long parameterCount() {
        long n = 0;
        for (TensorEntry e : entries.values()) {
            if (e.isFloat()) {
                n += e.elements();
            }
        }
        return n;
    }

    /**
     * The tensor as float32, computed once and kept for the life of this value (a notebook value).
     * Do not change it in place; use {@link #compute} for a private copy.
     */
    public NDArray get(String name) {
        NDArray kept = materialized.get(name);
        if (kept != null) {
            return kept;
        }
        TensorEntry e = floatEntry(name);
        synchronized (this) {
            kept = materialized.get(name);
            if (kept == null) {
                if (manager == null) {
                    manager = Tensors.root().newSubManager();
                }
                try (NDManager scratch = manager.newSubManager()) {
                    // a copy: what compute returns may live in storage that belongs to the scratch manager
                    kept = e.source().compute(scratch).duplicate();
                    kept.attach(manager);
                }
                materialized.put(name, kept);
            }
        }
        return kept;
    }

    /** The tensor as a fresh float32 array owned by {@code into}. */
    public NDArray compute(String name, NDManager into) {
        NDArray kept = materialized.get(name);
        if (kept != null) {
            NDArray copy = kept.duplicate();
            copy.attach(into);
            return copy;
        }
        return floatEntry(name).source().compute(into);
    }

    /** This tensor's lazy source, answering from the materialized copy when there is one. */
    public TensorSource source(String name) {
        TensorEntry e = floatEntry(name);
        return materialized.containsKey(name) ? m -> compute(name, m) : e.source();
    }

    private TensorEntry floatEntry(String name) {
        TensorEntry e = entry(name);
        if (!e.isFloat()) {
            throw new TauLabException(label + ": tensor '" + name + "' is " + e.dtype() + ", not a float tensor");
        }
        return e;
    }

    /**
     * The thin SVD of a 2-D float tensor, computed once per value and tensor and kept (softly) so
     * that sweeping ranks or scaling coefficients costs one decomposition per matrix.
     */
    public Svd svd(String name) {
        return svd(name, Integer.MAX_VALUE, SvdChoice.EXACT);
    }

    /**
     * At least the leading k singular triplets of a 2-D float tensor, decomposed as {@code choice} says. A
     * kept decomposition answers when it is the full one or, for a truncated choice, has at least k triplets,
     * so a sweep that asks for its largest rank first decomposes each matrix once.
     */
    public Svd svd(String name, int k, SvdChoice choice) {
        TensorEntry e = floatEntry(name);
        if (e.shape().length != 2) {
            throw new TauLabException(label + ": tensor '" + name + "' has shape " + e.shapeString() + "; SVD needs a matrix");
        }
        int rows = (int) e.shape()[0];
        int cols = (int) e.shape()[1];
        int wanted = Math.min(k, Math.min(rows, cols));
        boolean truncated = choice.truncates(wanted, rows, cols);
        SoftReference<Svd> ref = decompositions.get(name);
        Svd d = ref == null ? null : ref.get();
        if (d != null && (d.complete() || truncated && d.p() >= wanted)) {
            return d;
        }
        try (NDManager m = Tensors.scope()) {
            // the decomposition copies what it keeps, so the values can live in this thread's reused array
            d = choice.decompose(ReusedFloats.valuesOf(compute(name, m)), rows, cols, wanted, name);
        }
        decompositions.put(name, new SoftReference<>(d));
        return d;
    }

    /** Drops the cached decomposition of one tensor (one-shot merges free them as they stream). */
    public void forgetDecomposition(String name) {
        decompositions.remove(name);
    }

    /** Frees materialized tensors. Lazy values stay usable and are recomputed on demand. */
    @Override
    public synchronized void close() {
        materialized.clear();
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    /** Entries of this dict with each float tensor rewritten by {@code fn} (entry-wise, lazily). */
    protected Map<String, TensorEntry> mapFloats(UnaryOperator<NDArray> fn, Selector selector) {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> {
            if (e.isFloat() && selector.test(e)) {
                TensorSource in = source(k);
                out.put(k, e.withSource(m -> owned(fn.apply(in.compute(m)), m)));
            } else {
                out.put(k, e);
            }
        });
        return out;
    }

    /**
     * Float entries of this dict combined with the same-named tensors of {@code other}. Keys and
     * shapes of the float tensors must agree; the first difference is reported by name.
     */
    protected Map<String, TensorEntry> zipFloats(StateDict other, BinaryOperator<NDArray> fn, boolean keepPassThrough) {
        requireSameFloatLayout(other);
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> {
            if (e.isFloat()) {
                TensorSource a = source(k);
                TensorSource b = other.source(k);
                out.put(k, e.withSource(m -> owned(fn.apply(a.compute(m), b.compute(m)), m)));
            } else if (keepPassThrough) {
                out.put(k, e);
            }
        });
        return out;
    }

    /** Fails with the first float tensor whose presence or shape differs between the two dicts. */
    public void requireSameFloatLayout(StateDict other) {
        for (TensorEntry e : entries.values()) {
            if (!e.isFloat()) {
                continue;
            }
            TensorEntry o = other.entries.get(e.name());
            if (o == null || !o.isFloat()) {
                throw new TauLabException("tensor '" + e.name() + "' is in " + label + " but not in " + other.label()
                        + (o == null ? "" : " as a float tensor"));
            }
            if (!e.sameShape(o)) {
                throw new TauLabException("tensor '" + e.name() + "' has shape " + e.shapeString() + " in " + label
                        + " but " + o.shapeString() + " in " + other.label());
            }
        }
        for (TensorEntry o : other.entries.values()) {
            TensorEntry e = entries.get(o.name());
            if (o.isFloat() && (e == null || !e.isFloat())) {
                throw new TauLabException("tensor '" + o.name() + "' is in " + other.label() + " but not in " + label);
            }
        }
    }

    /** Makes sure an operator's result belongs to {@code m} and is not one of its own inputs. */
    static NDArray owned(NDArray result, NDManager m) {
        if (result.getManager() != m) {
            result.attach(m);
        }
        return result;
    }

    /** Sum of squares of every float tensor, streamed. */
    protected double squaredNorm() {
        double total = 0;
        for (String k : floatKeys()) {
            try (NDManager m = Tensors.scope()) {
                NDArray x = compute(k, m);
                total += x.square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        return total;
    }

    protected double dotWith(StateDict other) {
        requireSameFloatLayout(other);
        double total = 0;
        for (String k : floatKeys()) {
            try (NDManager m = Tensors.scope()) {
                NDArray x = compute(k, m).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                NDArray y = other.compute(k, m).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                total += x.mul(y).sum().getDouble();
            }
        }
        return total;
    }

    public double norm() {
        return Math.sqrt(squaredNorm());
    }

    /** L2 norm of each float tensor, in order. */
    public Map<String, Double> tensorNorms() {
        Map<String, Double> norms = new LinkedHashMap<>();
        for (String k : floatKeys()) {
            try (NDManager m = Tensors.scope()) {
                NDArray x = compute(k, m).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                norms.put(k, Math.sqrt(x.square().sum().getDouble()));
            }
        }
        return norms;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + label + ", " + entries.size() + " tensors, " + parameterCount() + " float parameters)";
    }
}
