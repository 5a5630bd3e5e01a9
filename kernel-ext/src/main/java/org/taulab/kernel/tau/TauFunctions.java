package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.Tau;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.MergeMethod;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * The functions {@code %%tau} code can call by name. Each has named parameters, so calls may name
 * their arguments ({@code cart(fts, rank=8%)}). Every merge of the library's catalogue is one, under its Java
 * name ({@code taskArithmetic}); its named arguments are the merge's parameters. New functions plug in with
 * {@link #register}; a public static method of {@link Tau} that is not registered can still be called with
 * positional arguments.
 */
public final class TauFunctions {
    private static final Map<String, TauFunction> FUNCTIONS = new ConcurrentHashMap<>();

    static {
        register(TauFunction.of("load", "Opens a safetensors file (tensors are read when used).",
                a -> Tau.load(a.text("path")), "path"));
        register(TauFunction.of("base", "Sets the session's pretrained model, the default base of tau(ft).",
                a -> Tau.base(a.weights("pre")), "pre"));
        register(TauFunction.of("tau", "Task vector ft − base (the session's base unless given).",
                a -> a.has("base") ? Tau.tau(a.weights("ft"), a.weights("base")) : Tau.tau(a.weights("ft")), "ft", "base?"));
        register(TauFunction.of("sum", "Sum of task vectors.",
                a -> Tau.sum(a.list("vectors", TaskVector.class)), "*vectors"));
        register(TauFunction.of("mean", "Mean of task vectors.",
                a -> Tau.mean(a.list("vectors", TaskVector.class)), "*vectors"));
        register(TauFunction.of("svdK", "Rank-k truncation of every selected matrix (rank: a ratio like 8% or an absolute k; "
                        + "svd: exact, truncated or auto, the default).",
                a -> Tau.svdK(a.taskVector("v"), a.get("rank"), a.has("svd") ? a.get("svd") : "auto"), "v", "rank", "svd?"));
        register(TauFunction.of("cos", "Cosine similarity of two task vectors or two models.",
                a -> Invocations.invoke(a.get("a"), "cos", List.of(a.get("b"))), "a", "b"));
        register(TauFunction.of("norm", "L2 norm over every float tensor.",
                a -> Invocations.invoke(a.get("x"), "norm", List.of()), "x"));
        register(TauFunction.of("cosineMatrix", "Table of pairwise cosines of task vectors.",
                a -> Tau.cosineMatrix(a.list("vectors", TaskVector.class)), "*vectors"));
        register(TauFunction.of("norms", "Table of per-tensor L2 norms.", a -> Tau.norms(a.weights("w")), "w"));
        MergeCatalogue.all().forEach(TauFunctions::registerMerge);
        LearnFunctions.registerAll();
        register(TauFunction.of("help", "The functions %%tau can call, as a table; help(\"name\") shows one with its parameters.",
                a -> a.has("name") ? help(a.text("name")) : helpTable(), "name?"));
    }

    /** One function's signature and documentation. */
    static String help(String name) {
        TauFunction f = FUNCTIONS.get(name);
        if (f != null) {
            return f.signature() + "\n" + f.doc();
        }
        if (exists(name)) {
            return name + "(...): a static method of org.taulab.Tau (positional arguments only)";
        }
        throw new TauLabException("help: no function '" + name + "' (help() lists them)");
    }

    /** Every registered function: name, signature and documentation, sorted by name. */
    static tech.tablesaw.api.Table helpTable() {
        tech.tablesaw.api.StringColumn names = tech.tablesaw.api.StringColumn.create("function");
        tech.tablesaw.api.StringColumn signatures = tech.tablesaw.api.StringColumn.create("call");
        tech.tablesaw.api.StringColumn docs = tech.tablesaw.api.StringColumn.create("what it does");
        new TreeSet<>(FUNCTIONS.keySet()).forEach(n -> {
            TauFunction f = FUNCTIONS.get(n);
            names.append(n);
            signatures.append(f.signature());
            docs.append(f.doc());
        });
        return tech.tablesaw.api.Table.create("%%tau functions", names, signatures, docs);
    }

    private TauFunctions() {
    }

    /** Adds or replaces a function. */
    public static void register(TauFunction function) {
        FUNCTIONS.put(function.name(), function);
    }

    /**
     * Adds a catalogue merge under its Java name (and its aliases): {@code name(pre, fts, param=value, ...)}, or
     * {@code name(fts, ...)} without a base; the named arguments are the merge's parameters, checked by its entry.
     */
    static void registerMerge(MergeMethod method) {
        List<String> params = new ArrayList<>(method.needsBase() ? List.of("pre", "*fts") : List.of("*fts"));
        method.params().forEach(p -> params.add(p.name() + "?"));
        StringBuilder doc = new StringBuilder(method.summary()).append('.');
        method.params().forEach(p -> doc.append(' ').append(p.name()).append(" (default ").append(p.defaultText()).append("): ").append(p.doc()).append('.'));
        TauFunction.Body body = a -> {
            Map<String, Object> given = new LinkedHashMap<>(a.all());
            given.remove("pre");
            given.remove("fts");
            Weights pre = method.needsBase() ? a.weights("pre") : null;
            return method.create(given).apply(new MergeInputs(pre, a.list("fts", Weights.class)));
        };
        register(new TauFunction(method.javaName(), params, doc.toString(), body));
        method.aliases().stream().filter(alias -> alias.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .forEach(alias -> register(new TauFunction(alias, params, doc.toString(), body)));
    }

    /** The function called {@code name}, or null. */
    public static TauFunction find(String name) {
        return FUNCTIONS.get(name);
    }

    /** Whether {@code name} can be called: a registered function or a public static method of Tau. */
    public static boolean exists(String name) {
        return FUNCTIONS.containsKey(name) || Arrays.stream(Tau.class.getMethods()).anyMatch(m -> m.getName().equals(name)
                && java.lang.reflect.Modifier.isStatic(m.getModifiers()));
    }

    /** Every callable name, sorted. */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>(FUNCTIONS.keySet());
        Arrays.stream(Tau.class.getMethods()).filter(m -> java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                .forEach(m -> names.add(m.getName()));
        return names;
    }

    /** Calls {@code name}: a registered function, else a static method of Tau (positional arguments only). */
    public static Object call(String name, List<Object> positional, Map<String, Object> named) {
        TauFunction f = FUNCTIONS.get(name);
        if (f != null) {
            return f.call(positional, named);
        }
        if (!named.isEmpty()) {
            throw new TauLabException(name + "(...) takes positional arguments only");
        }
        return Invocations.invokeStatic(Tau.class, name, positional);
    }
}
