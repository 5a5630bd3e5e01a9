package org.taulab.dsl.merge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.taulab.dsl.io.HashCache;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.tensor.Weights;

/**
 * The provenance a saved merge carries in its safetensors metadata, however the merge was started: the method and
 * its parameters ({@code taulab.method}, {@code taulab.parameters}, from the merge), and each input that was read
 * from a file: {@code taulab.base} and {@code taulab.input.N} (file names, 1-based in the order given) with
 * {@code .sha256} beside each (a sharded model: its folder's name, and the sha256 of the lines "file sha256" of its
 * index, then of its shards by file name). Hashes are computed on one background thread while the tensors are written (cached
 * by file identity and modification time), and the inputs are protected: the output may never replace one.
 */
final class Provenance {
    private Provenance() {
    }

    static void save(MergeResult result, Path path, SaveOptions options) {
        save(result, options, o -> result.saveAsIs(path, o));
    }

    /** Runs {@code write} with the options that add the provenance (names now, hashes while it writes). */
    static void save(MergeResult result, SaveOptions options, java.util.function.Consumer<SaveOptions> write) {
        MergeInputs in = result.inputs();
        if (in == null) {
            write.accept(options);
            return;
        }
        Map<String, Weights> files = inputFiles(in);
        ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "taulab-sha256");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, CompletableFuture<String>> hashes = new LinkedHashMap<>();
            List<Path> protect = new ArrayList<>(options.inputs());
            files.forEach((key, w) -> {
                List<Path> parts = w.files();
                names.put(key, parts.size() == 1 ? w.file().getFileName().toString() : w.label());
                hashes.put(key + ".sha256", CompletableFuture.supplyAsync(() -> digest(parts), hasher));
                protect.addAll(parts);
            });
            write.accept(options.withMetadata(names).withLateMetadata(hashes).protecting(protect));
        } finally {
            hasher.shutdownNow();
        }
    }

    /** A file's sha256, or for several the sha256 of their "name sha256" lines. */
    static String digest(List<Path> parts) {
        if (parts.size() == 1) {
            return HashCache.sha256(parts.get(0));
        }
        StringBuilder lines = new StringBuilder();
        for (Path p : parts) {
            lines.append(p.getFileName()).append(' ').append(HashCache.sha256(p)).append('\n');
        }
        return org.taulab.dsl.io.Sha256.of(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The inputs read from files, by metadata key: the base first, then the fine-tuned models. */
    static Map<String, Weights> inputFiles(MergeInputs in) {
        Map<String, Weights> files = new LinkedHashMap<>();
        if (in.base() != null && in.base().file() != null) {
            files.put("taulab.base", in.base());
        }
        List<Weights> fts = in.finetuned();
        for (int i = 0; i < fts.size(); i++) {
            if (fts.get(i).file() != null) {
                files.put("taulab.input." + (i + 1), fts.get(i));
            }
        }
        return files;
    }
}
