package org.taulab.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.Gson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {
    @Test
    void kernelJsonStartsTheKernelMainOfflineAndKnowsTheCheckout(@TempDir Path dir) throws Exception {
        System.setProperty("taulab.home", "/opt/taulab/./repo");
        try {
            Path folder = KernelSpec.install(dir, Path.of("/usr/bin/java"), "/a.jar:/b.jar");
            Map<?, ?> spec = new Gson().fromJson(Files.readString(folder.resolve("kernel.json")), Map.class);
            assertEquals(List.of("/usr/bin/java", "-cp", "/a.jar:/b.jar", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                    "-XX:+UseSerialGC", "-Dtaulab.home=/opt/taulab/repo", KernelSpec.MAIN_CLASS, "{connection_file}"), spec.get("argv"));
            assertEquals("Java (TauLab)", spec.get("display_name"));
            assertEquals("message", spec.get("interrupt_mode"));
            assertEquals(dir.resolve("taulab"), folder);
        } finally {
            System.clearProperty("taulab.home");
        }
    }

    @Test
    void withoutACheckoutTheArgumentIsLeftOut() {
        List<?> argv = (List<?>) KernelSpec.json(Path.of("/usr/bin/java"), "x.jar", null).get("argv");
        assertFalse(argv.stream().anyMatch(a -> a.toString().startsWith("-Dtaulab.home")), argv.toString());
    }
}
