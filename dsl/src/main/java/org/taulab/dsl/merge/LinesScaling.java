package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/**
 * LiNeS (Wang et al., ICLR 2025), post-training layer scaling, as a modifier of any merge whose output is
 * {@code θ_pre + Δ} (every method that needs a base): block l of L gets {@code θ_pre + (α + β·l/(L − 1))·Δ_l}, so
 * shallow blocks keep less of the merged task vector. A tensor's block is the first all-digit part of its name
 * ({@code blocks.3.attn.w}: block 3), L one more than the largest; tensors outside the blocks (embeddings, the final
 * norm and projection) get α, as the authors' code does. α = 1, β = 0 leave the merge unchanged and are the defaults.
 */
public record LinesScaling(Merge inner, double alpha, double beta) implements Merge {
    static final ParamSpec ALPHA = ParamSpec.number("lines_alpha", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            "LiNeS: scale of the merged task vector at the first block and outside the blocks");
    static final ParamSpec BETA = ParamSpec.number("lines_beta", 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            "LiNeS: added scale at the last block, linear in depth");

    /** {@code merge} with LiNeS applied, or unchanged at α = 1, β = 0. */
    static Merge around(Merge merge, double alpha, double beta) {
        return alpha == 1 && beta == 0 ? merge : new LinesScaling(merge, alpha, beta);
    }

    @Override
    public MergeMethod spec() {
        return inner.spec();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(inner.parameters());
        p.put(ALPHA.name(), alpha);
        p.put(BETA.name(), beta);
        return p;
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>(inner.metadata());
        meta.putAll(Merge.super.metadata());
        return meta;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        Weights merged = inner.merge(in);
        int depth = depth(in.layout());
        return in.build(method() + "+lines", metadata(), (name, m) -> {
            NDArray base = pre.compute(name, m);
            NDArray delta = merged.compute(name, m).subi(base);
            return delta.muli((float) scale(block(name), depth)).addi(base);
        });
    }

    /** L: one more than the largest block index of a float tensor (0 without blocks). */
    static int depth(Weights layout) {
        return layout.entries().entrySet().stream().filter(e -> e.getValue().isFloat()).mapToInt(e -> block(e.getKey()) + 1).max().orElse(0);
    }

    /** The scale of block {@code l} of {@code blocks} (−1: outside the blocks). */
    double scale(int l, int blocks) {
        return l < 0 || blocks <= 1 ? alpha : alpha + beta * l / (blocks - 1);
    }

    /** The block index in a tensor name: its first part made only of digits, or −1. */
    static int block(String name) {
        for (String part : name.split("\\.")) {
            if (!part.isEmpty() && part.length() < 9 && part.chars().allMatch(Character::isDigit)) {
                return Integer.parseInt(part);
            }
        }
        return -1;
    }
}
