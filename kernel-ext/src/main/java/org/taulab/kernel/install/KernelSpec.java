package org.taulab.kernel.install;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code taulab} kernelspec: a {@code kernel.json} that starts this JVM's java binary on the TauLab
 * class path with the kernel's main class, interrupts by message.
 */
public final class KernelSpec {
    public static final String NAME = "taulab";
    public static final String DISPLAY_NAME = "Java (TauLab)";
    static final String MAIN_CLASS = "org.taulab.kernel.KernelMain";

    private KernelSpec() {
    }

    /**
     * The kernel.json content for {@code java} and {@code classpath}. {@code home}, the TauLab checkout (or null),
     * lets {@code %zoo} and {@code %reproduce} find the data manifests from a notebook opened anywhere.
     */
    public static Map<String, Object> json(Path java, String classpath, Path home) {
        List<String> argv = new ArrayList<>(List.of(java.toAbsolutePath().toString(),
                "-cp", classpath,
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                "-XX:+UseSerialGC"));
        if (home != null) {
            argv.add("-Dtaulab.home=" + home.toAbsolutePath().normalize());
        }
        argv.add(MAIN_CLASS);
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", Map.of());
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /** The kernels folder: {@code PREFIX/share/jupyter/kernels}, or the user's ({@code $JUPYTER_DATA_DIR}, XDG). */
    public static Path kernelsDir(Path prefix) {
        if (prefix != null) {
            return prefix.resolve("share/jupyter/kernels");
        }
        String data = System.getenv("JUPYTER_DATA_DIR");
        if (data != null && !data.isBlank()) {
            return Path.of(data, "kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local/share");
        return base.resolve("jupyter/kernels");
    }

    /** The checkout {@code bin/taulab} runs from ({@code -Dtaulab.home}), or null. */
    static Path projectHome() {
        String home = System.getProperty("taulab.home");
        return home == null || home.isBlank() ? null : Path.of(home);
    }

    /** Writes {@code kernels/taulab/kernel.json} (atomically) and returns its folder. */
    public static Path install(Path kernelsDir, Path java, String classpath) throws IOException {
        Path dir = kernelsDir.resolve(NAME);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "kernel", ".json.tmp");
        Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json(java, classpath, projectHome())) + "\n");
        Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }
}
