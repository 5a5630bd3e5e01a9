package org.taulab.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.ZooManifest;
import org.taulab.kernel.TestSessions;
import org.taulab.kernel.jshell.JavaSession;
import tech.tablesaw.api.Table;

class ZooMagicTest {
    @TempDir
    Path dir;

    private static Weights one(String label, float v) {
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        e.put("w", TensorEntry.floating("w", DType.F32, new long[] {2}, m -> m.create(new float[] {v, v}, new Shape(2))));
        return new Weights(e, Map.of(), label);
    }

    @Test
    void aZooInsideTheCheckoutIsShownRelativeToIt() {
        java.nio.file.Path home = org.taulab.dsl.data.manifest.Manifests.home();
        assertEquals(java.nio.file.Path.of("zoo", "mini8").toString(), ZooMagic.shown(home.resolve("zoo/mini8")));
        assertEquals(dir.toAbsolutePath().normalize().toString(), ZooMagic.shown(dir));
    }

    @Test
    void loadsTheZooIntoTheSessionAndSummarizesIt() throws Exception {
        Files.createDirectories(dir.resolve("finetuned"));
        one("pre", 1).save(dir.resolve("pretrained.safetensors"));
        one("a", 2).save(dir.resolve("finetuned/a.safetensors"));
        one("b", 4).save(dir.resolve("finetuned/b.safetensors"));
        Map<String, Object> measured = Map.of("tasks", Map.of("a", Map.of("pretrained", 40.0, "individual", 90.5),
                "b", Map.of("pretrained", 30.0, "individual", 80.0)));
        new ZooManifest("tiny", "mini8", List.of("a", "b"), Map.of(), List.of(), measured, null, null).write(dir.resolve("zoo.yaml"));

        try (JavaSession session = TestSessions.start()) {
            MagicHost host = new MagicHost() {
                @Override
                public JavaSession session() {
                    return session;
                }

                @Override
                public Object runCell(String source) {
                    return session.eval(source);
                }

                @Override
                public Magics magics() {
                    return new Magics();
                }

                @Override
                public void setRunningProcess(Process process) {
                }

                @Override
                public void display(Object value) {
                }
            };
            Table summary = (Table) new ZooMagic(host).run(dir.toString());
            assertEquals(List.of("a", "b"), summary.stringColumn("task").asList());
            assertEquals(90.5, summary.doubleColumn(2).get(0), 1e-9);
            assertEquals(2, ((Number) session.eval("tasks.size()")).intValue());
            assertEquals(2, ((Number) session.eval("fts.size()")).intValue());
            // pre is the session's base: tau(ft) works at once
            assertEquals(Math.sqrt(2) * 3, ((Number) session.eval("tau(ft.get(\"b\")).norm()")).doubleValue(), 1e-6);
            assertThrows(TauLabException.class, () -> new ZooMagic(host).run(dir.resolve("none").toString()));
            assertTrue(summary.name().contains("bound: zoo, pre, fts, ft, tasks"));
        }
    }
}
