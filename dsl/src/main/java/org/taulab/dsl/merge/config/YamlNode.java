package org.taulab.dsl.merge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * A YAML document as a tree that remembers the line of every value, so that a config's errors can name the line
 * ({@code merge.yaml:7: models[1].parameters.weight: …}). Scalars keep YAML's types (numbers, booleans, strings, null).
 */
public record YamlNode(Object scalar, List<YamlNode> items, Map<String, YamlNode> fields, Map<String, Integer> keyLines, int line) {
    /** The line of {@code key} in this mapping (its value may start on a later line). */
    public int lineOf(String key) {
        return keyLines.getOrDefault(key, line);
    }

    public boolean isMap() {
        return fields != null;
    }

    public boolean isList() {
        return items != null;
    }

    public boolean isScalar() {
        return fields == null && items == null;
    }

    public static YamlNode read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TauLabException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new TauLabException(file + ": is empty");
            }
            YamlNode root = node(p, file);
            if (p.nextToken() != null) {
                throw new TauLabException(file + ":" + p.currentTokenLocation().getLineNr() + ": a second document; a config is one");
            }
            return root;
        } catch (IOException e) {
            String line = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? ":" + j.getLocation().getLineNr() : "";
            throw new TauLabException(file + line + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static YamlNode node(JsonParser p, Path file) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> fields = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int at = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    keyLines.put(name, at);
                    if (fields.put(name, node(p, file)) != null) {
                        throw new TauLabException(file + ":" + at + ": '" + name + "' is given twice");
                    }
                }
                return new YamlNode(null, null, Collections.unmodifiableMap(fields), Collections.unmodifiableMap(keyLines), line);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, file));
                }
                return new YamlNode(null, List.copyOf(items), null, Map.of(), line);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new YamlNode(p.getNumberValue(), null, null, Map.of(), line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode(p.getBooleanValue(), null, null, Map.of(), line);
            }
            case VALUE_NULL -> {
                return new YamlNode(null, null, null, Map.of(), line);
            }
            default -> {
                return new YamlNode(p.getText(), null, null, Map.of(), line);
            }
        }
    }
}
