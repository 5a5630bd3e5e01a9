package org.taulab.dsl.data.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.taulab.dsl.TauLabException;

/** Finds and parses the YAML manifests under {@code data-manifests/}. */
public final class Manifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Manifests() {
    }

    /** The project directory: {@code -Dtaulab.home}, {@code $TAULAB_HOME}, or the nearest parent holding data-manifests/. */
    public static Path home() {
        String configured = System.getProperty("taulab.home", System.getenv("TAULAB_HOME"));
        if (configured != null) {
            return Path.of(configured);
        }
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data-manifests"))) {
                return p;
            }
        }
        throw new TauLabException("cannot find TauLab's data-manifests/ (run from the repository or set TAULAB_HOME)");
    }

    public static Path dir() {
        return home().resolve("data-manifests");
    }

    public static DatasetManifest dataset(String name) {
        return read(dir().resolve("datasets").resolve(name + ".yaml"), DatasetManifest.class, "dataset " + name);
    }

    public static BenchmarkManifest benchmark(String name) {
        return read(dir().resolve("benchmarks").resolve(name + ".yaml"), BenchmarkManifest.class, "benchmark " + name);
    }

    /** A manifest's text ("" when it cannot be read). */
    public static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    public static <T> T read(Path file, Class<T> type, String what) {
        if (!Files.isRegularFile(file)) {
            throw new TauLabException("unknown " + what + ": no manifest " + file);
        }
        try {
            return YAML.readValue(file.toFile(), type);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new TauLabException(file + ": invalid manifest (" + msg + ")");
        }
    }
}
