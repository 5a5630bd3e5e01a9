package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.taulab.dsl.TauLabException;

/**
 * Where a model's tensors are stored: one safetensors file, or a Hugging Face model folder whose
 * {@code model.safetensors.index.json} maps every tensor to its shard. A folder without an index holds exactly one
 * {@code .safetensors} file (preferably {@code model.safetensors}). An index is checked whole when opened: every shard
 * it names exists and holds the tensors it is said to, no tensor is in two shards, and no shard holds a tensor the
 * index does not list; each problem is one error naming the index, the shard and the tensor. Tensors keep the index's
 * order; shards are listed by file name.
 */
public record ModelFiles(Path primary, Map<String, SafetensorsFile> tensorFiles, List<SafetensorsFile> shards) {
    public static final String INDEX = "model.safetensors.index.json";

    /** Whether the tensors come through an index (a sharded folder) rather than from one safetensors file. */
    public boolean sharded() {
        return primary.getFileName().toString().endsWith(".json");
    }

    /** The files read, the index first when there is one (for provenance and for refusing to overwrite them). */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (sharded()) {
            out.add(primary);
        }
        shards.forEach(s -> out.add(s.path()));
        return out;
    }

    public static ModelFiles open(Path path) {
        Path p = path;
        if (Files.isDirectory(p)) {
            p = inFolder(p);
        }
        if (p.getFileName() != null && p.getFileName().toString().endsWith(".json")) {
            return index(p);
        }
        SafetensorsFile f = SafetensorsFile.open(p);
        Map<String, SafetensorsFile> where = new LinkedHashMap<>();
        f.tensors().keySet().forEach(k -> where.put(k, f));
        return new ModelFiles(p, where, List.of(f));
    }

    private static Path inFolder(Path folder) {
        Path index = folder.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            return index;
        }
        Path single = folder.resolve("model.safetensors");
        if (Files.isRegularFile(single)) {
            return single;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new TauLabException(folder + ": cannot list the folder (" + e.getMessage() + ")");
        }
        if (files.size() == 1) {
            return files.get(0);
        }
        throw new TauLabException(folder + ": a model folder needs " + INDEX + ", model.safetensors or a single .safetensors file ("
                + (files.isEmpty() ? "it has none" : "it has " + files.size() + ": " + String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList())) + ")");
    }

    private static ModelFiles index(Path index) {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(index));
        } catch (IOException | RuntimeException e) {
            throw new TauLabException(index + ": not a valid index (" + firstLine(e.getMessage()) + ")");
        }
        if (!(parsed instanceof Map<?, ?> root) || !(root.get("weight_map") instanceof Map<?, ?> map)) {
            throw new TauLabException(index + ": not a safetensors index (no \"weight_map\" object)");
        }
        if (map.isEmpty()) {
            throw new TauLabException(index + ": its weight_map lists no tensor");
        }
        Path folder = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
        Map<String, SafetensorsFile> where = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String tensor = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof String shard) || shard.isEmpty() || shard.contains("/") || shard.contains("\\")) {
                throw new TauLabException(index + ": tensor '" + tensor + "' maps to " + Json.write(e.getValue()) + ", not a shard file name in the folder");
            }
            SafetensorsFile f = opened.computeIfAbsent(shard, s -> {
                Path file = folder.resolve(s);
                if (!Files.isRegularFile(file)) {
                    throw new TauLabException(index + ": shard " + s + " (of tensor '" + tensor + "') is missing");
                }
                return SafetensorsFile.open(file);
            });
            if (!f.tensors().containsKey(tensor)) {
                throw new TauLabException(index + ": tensor '" + tensor + "' is said to be in " + shard + ", which does not hold it");
            }
            where.put(tensor, f);
        }
        Map<String, String> owner = new LinkedHashMap<>();
        for (Map.Entry<String, SafetensorsFile> s : opened.entrySet()) {
            for (String tensor : s.getValue().tensors().keySet()) {
                String before = owner.putIfAbsent(tensor, s.getKey());
                if (before != null) {
                    throw new TauLabException(index + ": tensor '" + tensor + "' is in two shards, " + before + " and " + s.getKey());
                }
                if (!where.containsKey(tensor)) {
                    throw new TauLabException(index + ": shard " + s.getKey() + " holds tensor '" + tensor + "', which the index does not list");
                }
            }
        }
        List<SafetensorsFile> shards = new ArrayList<>(opened.values());
        shards.sort(java.util.Comparator.comparing(f -> f.path().getFileName().toString()));
        return new ModelFiles(index, where, List.copyOf(shards));
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse(s);
    }
}
