package org.taulab.dsl.tensor;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.taulab.dsl.TauLabException;

/**
 * Which tensors a per-matrix step (the low-rank {@code svdK}, TSV-M) applies to. The default follows
 * the CART code: 2-D float tensors whose name contains {@code attn} or {@code mlp}.
 */
public final class Selector implements Predicate<TensorEntry> {
    private final Predicate<TensorEntry> test;
    private final String description;

    private Selector(Predicate<TensorEntry> test, String description) {
        this.test = test;
        this.description = description;
    }

    public static Selector defaultMatrices() {
        return new Selector(e -> e.isMatrix() && (e.name().contains("attn") || e.name().contains("mlp")),
                "2-D float tensors whose name contains attn or mlp");
    }

    /** 2-D float tensors whose name matches {@code regex} anywhere (find, not full match). */
    public static Selector matrices(String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new TauLabException("selector regex '" + regex + "' is invalid: " + e.getDescription());
        }
        return new Selector(e -> e.isMatrix() && p.matcher(e.name()).find(), "2-D float tensors matching /" + regex + "/");
    }

    /** Any predicate on the tensor's name (non-float tensors are never selected). */
    public static Selector byName(Predicate<String> names, String description) {
        return new Selector(e -> e.isFloat() && names.test(e.name()), description);
    }

    public static Selector of(Predicate<TensorEntry> predicate, String description) {
        return new Selector(e -> e.isFloat() && predicate.test(e), description);
    }

    public static Selector allFloats() {
        return new Selector(TensorEntry::isFloat, "every float tensor");
    }

    @Override
    public boolean test(TensorEntry entry) {
        return test.test(entry);
    }

    @Override
    public String toString() {
        return description;
    }
}
