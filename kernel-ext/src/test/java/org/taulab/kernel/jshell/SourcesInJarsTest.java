package org.taulab.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.taulab.kernel.TestSessions;

/**
 * TauLab's jars carry their sources beside their classes (for inspection). Without a source path of its own, javac
 * also looks for sources on the class path and compiled some of those instead of reading their classes, and a
 * notebook's {@code Charts.lines(...)} failed with "cannot find symbol"; the session's empty source path keeps javac
 * on the classes.
 */
class SourcesInJarsTest {
    @Test
    void theReproductionClassesResolveFromTheirJar() {
        try (JavaSession session = TestSessions.start()) {
            session.eval("import org.taulab.repro.*;");
            assertEquals(720, ((Number) session.eval("Charts.WIDTH")).intValue());
            assertEquals("claims reproduced: 0 of 0", session.eval("Claims.summary(List.of())"));
        }
    }
}
