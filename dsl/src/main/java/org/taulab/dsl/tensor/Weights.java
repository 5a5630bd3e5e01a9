package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.nio.ByteBuffer;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.ModelFiles;
import org.taulab.dsl.io.SafetensorsFile;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.io.TensorInfo;

/**
 * An ordered, immutable state dict of named tensors (a model's weights). Loading memory-maps the file
 * and reads a tensor only when it is used; arithmetic is lazy, so saving a merged model streams.
 */
public class Weights extends StateDict {
    private final SafetensorsFile stored;
    private final ModelFiles source;

    public Weights(Map<String, TensorEntry> entries, Map<String, String> metadata, String label) {
        this(entries, metadata, label, null, null);
    }

    private Weights(Map<String, TensorEntry> entries, Map<String, String> metadata, String label, SafetensorsFile stored, ModelFiles source) {
        super(entries, metadata, label);
        this.stored = stored;
        this.source = source;
    }

    /**
     * Opens a model: a safetensors file, a Hugging Face model folder (sharded with {@code model.safetensors.index.json},
     * or holding one safetensors file), or such an index. Headers (and the index) are validated now, tensors are read
     * when used, each from its own shard.
     */
    public static Weights load(Path path) {
        ModelFiles files = ModelFiles.open(path);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        files.tensorFiles().forEach((name, f) -> entries.put(name, entry(f, f.tensors().get(name))));
        if (!files.sharded()) {
            SafetensorsFile f = files.shards().get(0);
            return new Weights(entries, f.metadata(), files.primary().getFileName().toString(), f, files);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        files.shards().forEach(s -> metadata.putAll(s.metadata()));
        Path folder = files.primary().toAbsolutePath().getParent();
        return new Weights(entries, metadata, folder.getFileName().toString(), null, files);
    }

    private static TensorEntry entry(SafetensorsFile f, TensorInfo t) {
        if (t.dtype() == DType.F32) {
            // read straight into the storage of the tensor (one copy, from the page cache)
            return TensorEntry.floating(t.name(), t.dtype(), t.shape(), m -> {
                ByteBuffer storage = TensorCodec.pooledBuffer(f.byteLength(t.name()));
                f.read(t.name(), storage);
                return TensorCodec.asStorage(m, storage, t.shape());
            });
        }
        if (t.dtype().isFloat()) {
            return TensorEntry.floating(t.name(), t.dtype(), t.shape(),
                    m -> f.withBytes(t.name(), bytes -> TensorCodec.decodeFloat(m, bytes, t.dtype(), t.shape())));
        }
        return TensorEntry.passThrough(t.name(), t.dtype(), t.shape(), () -> f.withBytes(t.name(), bytes -> heapCopy(bytes)));
    }

    public static Weights load(String path) {
        return load(Path.of(path));
    }

    private static java.nio.ByteBuffer heapCopy(java.nio.ByteBuffer bytes) {
        java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(bytes.remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        copy.put(bytes.duplicate()).flip();
        return copy;
    }

    /** The file these weights were loaded from (a sharded model's index), or null when they were computed. */
    public Path file() {
        return source == null ? null : source.primary();
    }

    /** Every file these weights were loaded from (a sharded model's index, then its shards); empty when computed. */
    public java.util.List<Path> files() {
        return source == null ? java.util.List.of() : source.files();
    }

    /**
     * The opened safetensors file these weights were loaded from (its validated header), or null when they were
     * computed or come from several shards.
     */
    public SafetensorsFile stored() {
        return stored;
    }

    /** Writes float32 safetensors atomically (temporary file, then rename). */
    public void save(Path path) {
        save(path, SaveOptions.defaults());
    }

    public void save(String path) {
        save(Path.of(path));
    }

    public void save(Path path, SaveOptions options) {
        SafetensorsWriter.write(path, this, options);
    }

    /** Task vector of these weights relative to {@code base}: {@code this − base}. */
    public TaskVector minus(Weights base) {
        return new TaskVector(zipFloats(base, NDArray::subi, false), Map.of(), "(" + label() + " − " + base.label() + ")");
    }

    public Weights plus(TaskVector vector) {
        return new Weights(zipFloats(vector, NDArray::addi, true), metadata(), "(" + label() + " + " + vector.label() + ")");
    }

    public Weights minus(TaskVector vector) {
        return new Weights(zipFloats(vector, NDArray::subi, true), metadata(), "(" + label() + " − " + vector.label() + ")");
    }

    /** Element-wise sum of two models' float tensors (used for averages); other tensors from this. */
    public Weights plus(Weights other) {
        return new Weights(zipFloats(other, NDArray::addi, true), metadata(), "(" + label() + " + " + other.label() + ")");
    }

    public Weights times(double scalar) {
        return new Weights(mapFloats(x -> x.muli(scalar), Selector.allFloats()), metadata(), scalar + "·" + label());
    }

    public Weights divide(double scalar) {
        return times(1.0 / scalar);
    }

    /** Applies {@code fn} to the selected float tensors and leaves the others as they are. */
    public Weights map(Selector selector, UnaryOperator<NDArray> fn) {
        return new Weights(mapFloats(fn, selector), metadata(), "map(" + label() + ")");
    }

    /** Cosine similarity of the two models' float tensors flattened. */
    public double cos(Weights other) {
        double denominator = norm() * other.norm();
        return denominator == 0 ? 0 : dotWith(other) / denominator;
    }

    /** A copy labelled {@code newLabel} (the label names the value in error messages). */
    public Weights named(String newLabel) {
        return new Weights(entries(), metadata(), newLabel, stored, source);
    }
}
