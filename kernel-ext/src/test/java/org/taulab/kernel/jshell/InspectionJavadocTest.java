package org.taulab.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taulab.kernel.TestSessions;

/** Inspection shows the DSL's own javadoc (which JShell alone cannot find), matched to the right overload. */
class InspectionJavadocTest {
    @Test
    void inspectingADslMethodShowsItsSignatureAndJavadoc() {
        try (JavaSession s = TestSessions.start()) {
            SourceAssist assist = new SourceAssist(s.analysis());
            String code = "svdK(";
            String text = assist.inspect(code, code.length(), true);
            assertNotNull(text);
            assertTrue(text.contains("org.taulab.Tau.svdK(TaskVector v, Object rank)"), text);
            assertTrue(text.contains("Rank-k truncation of every default-selected matrix"), text);
        }
    }

    @Test
    void classesAndOverloadsAreMatchedByTheirParameterTypes() {
        ClassLoader loader = SourceJavadoc.class.getClassLoader();
        // svdK(v, rank) carries the comment; the three-argument overload has none of its own.
        assertTrue(SourceJavadoc.lookup("org.taulab.dsl.tensor.TaskVector org.taulab.Tau.svdK(org.taulab.dsl.tensor.TaskVector v, Object rank)", loader)
                .startsWith("Rank-k truncation"));
        assertEquals(null, SourceJavadoc.lookup(
                "org.taulab.dsl.tensor.TaskVector org.taulab.Tau.svdK(org.taulab.dsl.tensor.TaskVector v, Object rank, org.taulab.dsl.tensor.Selector selector)", loader));
        String klass = SourceJavadoc.lookup("org.taulab.dsl.learn.DvBasi", loader);
        assertTrue(klass != null && klass.contains("difference vector"), String.valueOf(klass));
        assertEquals(null, SourceJavadoc.lookup("void org.taulab.Tau.noSuchMethod(int x)", loader));
    }

    @Test
    void parameterTypesAreErasedSimpleNames() {
        assertEquals(List.of("List", "double[]", "Map", "int[]"),
                SourceJavadoc.parameterTypes("java.util.List<org.taulab.X> a, double... b, java.util.Map<String, java.util.List<Integer>> c, int[] d"));
    }
}
