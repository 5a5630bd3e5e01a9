package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The README.md of a merged model folder, from the provenance its shards carry: the method, its parameters, and
 * the base and each fine-tuned input with its sha256, with the YAML header the Hugging Face Hub reads.
 */
final class ModelCard {
    private ModelCard() {
    }

    static String text(Map<String, String> metadata) {
        String method = metadata.getOrDefault("taulab.method", "unknown");
        StringBuilder b = new StringBuilder();
        b.append("---\ntags:\n- merge\n- taulab\n- ").append(method).append("\n");
        if (metadata.containsKey("taulab.base")) {
            b.append("base_model: ").append(yamlString(metadata.get("taulab.base"))).append("\n");
        }
        b.append("---\n\n# Merged with TauLab: ").append(method).append("\n\n");
        b.append("Parameters: `").append(metadata.getOrDefault("taulab.parameters", "{}")).append("`\n\n");
        b.append("| role | input | sha256 |\n| --- | --- | --- |\n");
        if (metadata.containsKey("taulab.base")) {
            b.append("| base | ").append(cell(metadata.get("taulab.base"))).append(" | ")
                    .append(metadata.getOrDefault("taulab.base.sha256", "")).append(" |\n");
        }
        for (int i = 1; metadata.containsKey("taulab.input." + i); i++) {
            b.append("| fine-tuned ").append(i).append(" | ").append(cell(metadata.get("taulab.input." + i))).append(" | ")
                    .append(metadata.getOrDefault("taulab.input." + i + ".sha256", "")).append(" |\n");
        }
        List<String> notes = new ArrayList<>();
        notes.add("A sharded input's sha256 is that of its index's and shards' \"name sha256\" lines.");
        notes.add("Every shard's safetensors metadata holds the same provenance (taulab.* keys).");
        b.append("\n").append(String.join(" ", notes)).append("\n");
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
