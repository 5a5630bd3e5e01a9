package org.taulab.dsl.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.io.ModelFiles;
import org.taulab.dsl.io.OutputFile;
import org.taulab.dsl.io.SaveOptions;

/**
 * Writes a model as a Hugging Face model folder: the tensors in shards of at most {@code shardSize} bytes each
 * ({@code model-00001-of-0000N.safetensors}, one file {@code model.safetensors} when they fit in one), then the
 * index {@code model.safetensors.index.json} (total size and the shard of every tensor), the configuration and
 * tokenizer files of a model folder, and a model card. Everything is written into a hidden temporary folder beside
 * the target, which is renamed into place only when complete: a reader never sees shards without their index or
 * an index without its shards. The target must be a new or an empty folder; nothing there is replaced.
 */
public final class ModelFolderWriter {
    /** Hugging Face's default largest shard. */
    public static final long DEFAULT_SHARD_SIZE = 5_000_000_000L;

    private ModelFolderWriter() {
    }

    /**
     * @param filesFrom a model folder whose non-weight files (config.json, tokenizer files, …) are copied, or null
     * @param card      the model card (README.md) given the metadata the shards were written with, or null
     */
    public static void write(Path target, StateDict dict, SaveOptions options, long shardSize, Path filesFrom,
                             java.util.function.Function<Map<String, String>, String> card) {
        if (shardSize <= 0) {
            throw new TauLabException("shard size must be positive, got " + shardSize);
        }
        List<List<TensorEntry>> shards = plan(dict, options, shardSize);
        writeFolder(target, "the model", tmp -> {
            Map<String, String> weightMap = new TreeMap<>();
            long total = 0;
            Map<String, String> written = Map.of();
            for (int i = 0; i < shards.size(); i++) {
                String name = shards.size() == 1 ? "model.safetensors"
                        : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
                Map<String, TensorEntry> part = new LinkedHashMap<>();
                for (TensorEntry e : shards.get(i)) {
                    part.put(e.name(), e);
                    weightMap.put(e.name(), name);
                    total += bytes(e, options);
                }
                Map<String, String> meta = new LinkedHashMap<>(dict.metadata());
                meta.put("format", "pt");
                Path shard = tmp.resolve(name);
                SafetensorsWriter.write(shard, new Shard(part, meta, dict), options.withMetadata(Map.of()));
                written = org.taulab.dsl.io.SafetensorsFile.open(shard).metadata();
            }
            if (shards.size() > 1) {
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("metadata", Map.of("total_size", total));
                index.put("weight_map", weightMap);
                Files.writeString(tmp.resolve(ModelFiles.INDEX), Json.write(index) + "\n", StandardCharsets.UTF_8);
            }
            if (filesFrom != null) {
                copyModelFiles(filesFrom, tmp);
            }
            if (card != null) {
                Files.writeString(tmp.resolve("README.md"), card.apply(written), StandardCharsets.UTF_8);
            }
        });
    }

    /** What fills a folder: the files written into its hidden temporary. */
    @FunctionalInterface
    public interface FolderContent {
        void writeInto(Path folder) throws IOException;
    }

    /**
     * Writes a folder atomically: {@code target} is checked (a new or empty folder), {@code content} fills a hidden
     * temporary folder beside it, which is renamed into place only when complete and removed if anything fails
     * ({@code what} names the content in the error).
     */
    public static void writeFolder(Path target, String what, FolderContent content) {
        Path out = target.toAbsolutePath().normalize();
        checkTarget(target, out);
        Path tmp;
        try {
            tmp = OutputFile.removedOnStop(Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".partial-"));
        } catch (IOException e) {
            throw new TauLabException(target + ": cannot create a temporary folder in " + out.getParent() + " (" + e.getMessage() + ")");
        }
        boolean done = false;
        try {
            content.writeInto(tmp);
            moveIntoPlace(tmp, out, target);
            done = true;
        } catch (IOException e) {
            throw new TauLabException(target + ": cannot write " + what + " (" + e.getMessage() + ")");
        } finally {
            if (!done) {
                try {
                    OutputFile.deleteTree(tmp);
                } catch (IOException ignored) {
                    // a hidden .partial- folder is all that can remain
                }
            }
            OutputFile.finished(tmp);
        }
    }

    /** The tensors grouped into shards in their order, each shard at most {@code shardSize} bytes unless one tensor alone is larger. */
    static List<List<TensorEntry>> plan(StateDict dict, SaveOptions options, long shardSize) {
        List<List<TensorEntry>> shards = new ArrayList<>();
        List<TensorEntry> current = new ArrayList<>();
        long size = 0;
        for (TensorEntry e : dict.entries().values()) {
            long b = bytes(e, options);
            if (!current.isEmpty() && size + b > shardSize) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(e);
            size += b;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private static long bytes(TensorEntry e, SaveOptions options) {
        DType d = !e.isFloat() || options.floatDType() == null ? e.dtype() : options.floatDType();
        return e.elements() * d.bytes();
    }

    /** Refuses, with one line naming it, a target that is not a new or an empty folder in an existing one. */
    public static void checkTarget(Path target) {
        checkTarget(target, target.toAbsolutePath().normalize());
    }

    /** Bytes from text: 5000000000, 500MB, 5GB (powers of 1000, as Hugging Face counts), 512MiB, 2GiB (powers of 1024). */
    public static long parseSize(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(|b|kb|k|mb|m|gb|g|tb|t|kib|mib|gib|tib)\\s*").matcher(text);
        if (!m.matches()) {
            throw new TauLabException("'" + text + "' is not a size (bytes, or a number with KB, MB, GB, KiB, MiB or GiB)");
        }
        double unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "kb", "k" -> 1e3;
            case "mb", "m" -> 1e6;
            case "gb", "g" -> 1e9;
            case "tb", "t" -> 1e12;
            case "kib" -> 1024.0;
            case "mib" -> 1024.0 * 1024;
            case "gib" -> 1024.0 * 1024 * 1024;
            default -> 1024.0 * 1024 * 1024 * 1024;
        };
        double bytes = Double.parseDouble(m.group(1)) * unit;
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new TauLabException("'" + text + "' is not a usable shard size (at least 1 byte)");
        }
        return (long) bytes;
    }

    private static void checkTarget(Path target, Path out) {
        if (out.getFileName() == null) {
            throw new TauLabException(target + ": not a folder name");
        }
        if (!Files.isDirectory(out.getParent())) {
            throw new TauLabException(target + ": directory " + out.getParent() + " does not exist");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new TauLabException(target + ": exists and is not a folder; a model folder is written here (give a new folder name)");
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
                if (ds.iterator().hasNext()) {
                    throw new TauLabException(target + ": folder exists and is not empty; refusing to replace what is there (give a new folder name)");
                }
            } catch (IOException e) {
                throw new TauLabException(target + ": cannot read the folder (" + e.getMessage() + ")");
            }
        }
    }

    /** Weight files are the merge's own; every other regular file of a model folder (config, tokenizer, …) is copied. */
    static boolean isModelFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(p) || n.startsWith(".") || n.equals("readme.md")) {
            return false;
        }
        return !(n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".ckpt")
                || n.endsWith(".h5") || n.endsWith(".msgpack") || n.endsWith(".gguf") || n.endsWith(".onnx") || n.endsWith(".index.json"));
    }

    private static void copyModelFiles(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
            for (Path p : ds) {
                if (isModelFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path out, Path target) throws IOException {
        SafetensorsWriter.readableByAllFolder(tmp);
        if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(out);  // empty (checked above): a rename cannot replace a folder
        }
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, out);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new TauLabException(target + ": another process created it while the model was written; the model is left in " + tmp);
        }
    }

    /** A shard: some of the model's tensors, computed through the whole model (shared memos and caches). */
    private static final class Shard extends StateDict {
        private final StateDict whole;

        Shard(Map<String, TensorEntry> entries, Map<String, String> metadata, StateDict whole) {
            super(entries, metadata, whole.label());
            this.whole = whole;
        }

        @Override
        public ai.djl.ndarray.NDArray compute(String name, ai.djl.ndarray.NDManager m) {
            return whole.compute(name, m);
        }
    }
}
