package org.taulab.dsl.merge;

import java.nio.file.Path;
import java.util.Map;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.tensor.Weights;

/**
 * What every merge returns: the merged model (a {@link Weights}, usable wherever a model is), the method and every
 * parameter value that produced it, what a search or a learner found on the way ({@code details}: empty for a
 * plain merge), and the inputs, so that saving records their provenance wherever the merge was started.
 */
public final class MergeResult extends Weights {
    private final String method;
    private final Map<String, Object> parameters;
    private final Map<String, Object> details;
    private final MergeInputs inputs;

    public MergeResult(String method, Map<String, Object> parameters, Weights merged, MergeInputs inputs, Map<String, Object> details) {
        super(merged.entries(), merged.metadata(), merged.label());
        this.method = method;
        this.parameters = Map.copyOf(parameters);
        this.details = Map.copyOf(details);
        this.inputs = inputs;
    }

    public MergeResult(Merge merge, MergeInputs inputs, Weights merged) {
        this(merge.method(), merge.parameters(), merged, inputs, Map.of());
    }

    public String method() {
        return method;
    }

    /** Every parameter value, in the method's order. */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /** What was searched or learned (e.g. the λ a search picked and its score); empty for a plain merge. */
    public Map<String, Object> details() {
        return details;
    }

    /** The merged model itself (this result is one; kept so code written against the weights reads plainly). */
    public Weights weights() {
        return this;
    }

    /** The models merged, or null when unknown. */
    public MergeInputs inputs() {
        return inputs;
    }

    /**
     * Writes the merged model atomically, with its provenance: the method and parameters, and every input file's
     * name and sha256 (hashed while the tensors are written).
     */
    @Override
    public void save(Path path, SaveOptions options) {
        Provenance.save(this, path, options);
    }

    /**
     * Writes the merged model as a Hugging Face model folder (shards of at most {@code shardSize} bytes, their index,
     * the config and tokenizer files of {@code filesFrom} when it is a model folder, and a model card naming the
     * method, its parameters and the inputs with their sha256), atomically, with the same provenance in every shard.
     */
    public void saveFolder(Path folder, SaveOptions options, long shardSize, Path filesFrom) {
        Provenance.save(this, options, o -> org.taulab.dsl.tensor.ModelFolderWriter.write(folder, this, o, shardSize, filesFrom, ModelCard::text));
    }

    /** Saving without provenance, for {@link Provenance} itself. */
    void saveAsIs(Path path, SaveOptions options) {
        super.save(path, options);
    }

    @Override
    public String toString() {
        return method + " " + parameters;
    }
}
