package org.taulab.dsl.zoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * Where a zoo's recipe comes from: a recipe file, else the {@code build:} section of the zoo's own zoo.yaml (or,
 * before its first build, the zoo folder's {@code recipe.yaml}),
 * each read over {@link ZooRecipe#standard()}, then {@code KEY=VALUE} changes. A recipe is data: rebuilding a
 * zoo needs no code change.
 */
public final class ZooRecipes {
    /** A zoo not built yet keeps its recipe here, beside where its zoo.yaml will be. */
    public static final String RECIPE_FILE = "recipe.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ZooRecipes() {
    }

    public static ZooRecipe of(String zoo, Path recipeFile, List<String> sets) {
        Map<String, Object> build;
        Path manifest = Zoo.dirOf(zoo).resolve(ZooManifest.FILE);
        Path unbuilt = Zoo.dirOf(zoo).resolve(RECIPE_FILE);
        if (recipeFile != null) {
            build = read(recipeFile);
        } else if (!Files.isRegularFile(manifest)) {
            if (!Files.isRegularFile(unbuilt)) {
                throw new TauLabException("zoo " + zoo + ": no recipe (no " + manifest + " or " + RECIPE_FILE + "; give one with --recipe FILE)");
            }
            build = read(unbuilt);
        } else {
            build = ZooManifest.read(manifest).build();
            if (build == null) {
                throw new TauLabException(manifest + ": no build: section (give a recipe with --recipe FILE)");
            }
        }
        Map<String, Object> changes = new LinkedHashMap<>(build);
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new TauLabException("--set " + s + ": expected KEY=VALUE");
            }
            changes.put(s.substring(0, eq).strip(), value(s.substring(eq + 1).strip()));
        }
        return ZooRecipe.standard().with(changes);
    }

    private static Object value(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        try {
            return v.matches("-?\\d+") ? (Object) Long.parseLong(v) : (Object) Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) {
        try {
            Object doc = YAML.readValue(file.toFile(), Object.class);
            if (!(doc instanceof Map)) {
                throw new TauLabException(file + ": a recipe must be a YAML mapping");
            }
            Map<String, Object> m = (Map<String, Object>) doc;
            Object build = m.get("build");
            return build instanceof Map ? (Map<String, Object>) build : m;
        } catch (IOException e) {
            throw new TauLabException(file + ": cannot read recipe (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
