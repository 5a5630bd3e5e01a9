package org.taulab.dsl.zoo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * A zoo's manifest: benchmark, tasks, how it was built (the recipe), every file's size and sha256, its regime card
 * on test ({@code measured}) and on val ({@code measured_val}), and the candidate recipes tried before this one was
 * chosen, each with its val card ({@code candidates}).
 */
public record ZooManifest(String name, String benchmark, List<String> tasks, Map<String, Object> build,
                          List<ZooFile> files, Map<String, Object> measured, Map<String, Object> measuredVal,
                          List<Map<String, Object>> candidates) {
    public static final String FILE = "zoo.yaml";

    /** One file of the zoo, relative to its directory. */
    public record ZooFile(String path, Long size, String sha256) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** This manifest with its cards (and the candidates kept). */
    public ZooManifest withCards(Map<String, Object> test, Map<String, Object> val) {
        return new ZooManifest(name, benchmark, tasks, build, files, test, val, candidates);
    }

    public ZooManifest withCandidates(List<Map<String, Object>> list) {
        return new ZooManifest(name, benchmark, tasks, build, files, measured, measuredVal, list);
    }

    public static ZooManifest read(Path file) {
        try {
            return YAML.readValue(file.toFile(), ZooManifest.class);
        } catch (IOException e) {
            throw new TauLabException(file + ": invalid zoo manifest (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** Writes atomically (temporary file, then rename). */
    public void write(Path file) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".zoo", ".partial");
            YAML.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TauLabException(file + ": cannot write zoo manifest (" + e.getMessage() + ")");
        }
    }
}
