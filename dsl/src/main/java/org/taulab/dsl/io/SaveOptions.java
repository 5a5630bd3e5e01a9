package org.taulab.dsl.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.taulab.dsl.Progress;

/**
 * How a state dict is written: the dtype of its float tensors (F32 by default, {@code null} keeps each
 * tensor's own dtype), extra metadata, metadata whose values are still being computed (input hashes,
 * filled in before the file is renamed into place), and input files the output must never replace.
 */
public record SaveOptions(DType floatDType, Map<String, String> metadata,
                          Map<String, CompletableFuture<String>> lateMetadata, List<Path> inputs, Progress progress) {

    public static SaveOptions defaults() {
        return new SaveOptions(DType.F32, Map.of(), Map.of(), List.of(), Progress.session());
    }

    /** Reports each tensor written. */
    public SaveOptions reporting(Progress p) {
        return new SaveOptions(floatDType, metadata, lateMetadata, inputs, p);
    }

    /** Float tensors keep the dtype they were read with (computed tensors keep their source's). */
    public SaveOptions keepInputDType() {
        return new SaveOptions(null, metadata, lateMetadata, inputs, progress);
    }

    public SaveOptions dtype(DType d) {
        return new SaveOptions(d, metadata, lateMetadata, inputs, progress);
    }

    public SaveOptions withMetadata(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.putAll(more);
        return new SaveOptions(floatDType, all, lateMetadata, inputs, progress);
    }

    /** Metadata computed while the tensors are written; each value must be 64 characters (a sha256). */
    public SaveOptions withLateMetadata(Map<String, CompletableFuture<String>> more) {
        Map<String, CompletableFuture<String>> all = new LinkedHashMap<>(lateMetadata);
        all.putAll(more);
        return new SaveOptions(floatDType, metadata, all, inputs, progress);
    }

    public SaveOptions protecting(List<Path> inputFiles) {
        return new SaveOptions(floatDType, metadata, lateMetadata, inputFiles, progress);
    }
}
