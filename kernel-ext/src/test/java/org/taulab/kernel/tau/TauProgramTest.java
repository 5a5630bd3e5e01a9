package org.taulab.kernel.tau;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import org.taulab.kernel.TestSessions;
import org.taulab.kernel.jshell.CellError;
import org.taulab.kernel.jshell.JavaSession;

/** %%tau code run in a real JShell session: values, precedence, dispatch on runtime types, error positions. */
public class TauProgramTest {
    private static JavaSession session;
    private static TauProgram tau;

    @BeforeAll
    static void start() {
        session = TestSessions.start();
        tau = new TauProgram(session);
        TauFunctions.register(TauFunction.of("scaled", "x times factor", a -> a.number("x", 0) * a.number("factor", 1), "x", "factor?"));
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    public static Weights weights(String label, float... values) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put("w", TensorEntry.floating("w", DType.F32, new long[] {values.length}, m -> m.create(values.clone())));
        return new Weights(entries, Map.of(), label);
    }

    @Test
    void numbersFollowTheUsualPrecedence() {
        assertEquals(14L, tau.run("2 * (3 + 4)", 1));
        assertEquals(14L, tau.run("2 + 3 * 4", 1));
        assertEquals(-6L, tau.run("-2 * 3", 1));
        assertEquals(2.5, tau.run("10 / 4", 1));
        assertEquals(0.08, (double) tau.run("8%", 1), 1e-12);
        assertEquals(0.3, (double) tau.run("1 - 70%", 1), 1e-12);
    }

    @Test
    void namesBoundInTauAreJavaVariablesOfTheValuesType() {
        assertEquals(JavaSession.NO_VALUE, tau.run("k = 3\nr = 8%\nname = 'cart'\nxs = [1, 2]", 2));
        assertEquals("long", session.variableType("k"));
        assertEquals("double", session.variableType("r"));
        assertEquals("String", session.variableType("name"));
        assertEquals("java.util.List<Long>", session.variableType("xs"));
        assertEquals(9L, session.eval("k * k"));
        session.eval("int fromJava = 5;");
        assertEquals(15L, tau.run("fromJava * k", 1));
    }

    @Test
    void helpListsEveryFunctionAndShowsOne() {
        tech.tablesaw.api.Table all = (tech.tablesaw.api.Table) tau.run("help()", 1);
        java.util.List<String> names = all.stringColumn("function").asList();
        for (String expected : java.util.List.of("tau", "svdK", "cart", "taskArithmetic", "isoCts", "dvbasi", "help")) {
            assertTrue(names.contains(expected), expected + " missing from help(): " + names);
        }
        assertEquals(TauFunctions.find("svdK").signature(), all.stringColumn("call").get(names.indexOf("svdK")));
        String one = (String) tau.run("help('cart')", 1);
        assertTrue(one.startsWith("cart(*fts, rank?, lambda?, select?, svd?)\n"), one);
        assertTrue(one.contains("rank (default 0.08)"), one);
        CellError e = assertThrows(CellError.class, () -> tau.run("help('crat')", 1));
        assertEquals("line 1, column 1: help: no function 'crat' (help() lists them)", e.getMessage());
    }

    @Test
    void namedArgumentsBindByName() {
        assertEquals(6.0, tau.run("scaled(3, factor=2)", 1));
        assertEquals(6.0, tau.run("scaled(factor=3, x=2)", 1));
        assertEquals(4.0, tau.run("scaled(4)", 1));
        CellError e = assertThrows(CellError.class, () -> tau.run("y = 1\nscaled(3, power=2)", 1));
        assertEquals("line 2, column 1: scaled(x, factor?) has no parameter 'power'", e.getMessage());
        assertEquals(List.of("scaled(3, power=2)", "^"), e.detail());
    }

    @Test
    void operatorsDispatchOnWeightsAndTaskVectors() {
        session.eval("Weights pre = org.taulab.kernel.tau.TauProgramTest.weights(\"pre\", 1f, 2f);");
        session.eval("Weights ft = org.taulab.kernel.tau.TauProgramTest.weights(\"ft\", 3f, 5f);");
        tau.run("t = ft - pre\ntheta = pre + 0.5 * t\nback = theta - t / 2\nneg = -t * 2\navg = (pre + ft) / 2", 2);
        assertEquals("org.taulab.dsl.tensor.TaskVector", session.variableType("t"));
        assertEquals("org.taulab.dsl.tensor.Weights", session.variableType("theta"));
        assertArrayEquals(new float[] {2f, 3.5f}, ((Weights) session.eval("theta")).get("w").toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f, 2f}, ((Weights) session.eval("back")).get("w").toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-4f, -6f}, ((TaskVector) session.eval("neg")).get("w").toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {2f, 3.5f}, ((Weights) session.eval("avg")).get("w").toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {2f, 3f}, ((TaskVector) tau.run("tau(ft, pre)", 1)).get("w").toFloatArray(), 1e-6f);
    }

    @Test
    void aMeaninglessCombinationIsAnErrorWithACaretUnderTheOperator() {
        session.eval("Weights p2 = org.taulab.kernel.tau.TauProgramTest.weights(\"p2\", 1f, 2f);");
        CellError e = assertThrows(CellError.class, () -> tau.run("v = p2 - p2\nbad = v * v", 2));
        assertEquals("TauError", e.errorName());
        assertEquals("line 3, column 9: cannot multiply a TaskVector by a TaskVector", e.getMessage());
        assertEquals(List.of("bad = v * v", "        ^"), e.detail());
        CellError neg = assertThrows(CellError.class, () -> tau.run("-p2", 1));
        assertTrue(neg.getMessage().startsWith("line 1, column 1: cannot negate a Weights"), neg.getMessage());
    }

    @Test
    void unknownNamesAndSyntaxErrorsPointAtTheirToken() {
        CellError e = assertThrows(CellError.class, () -> tau.run("a = 1\nb = a + nowhere", 2));
        assertEquals("line 3, column 9: unknown name 'nowhere'", e.getMessage());
        CellError s = assertThrows(CellError.class, () -> tau.run("b = (1 + ", 2));
        assertEquals("TauError", s.errorName());
        assertEquals(List.of("b = (1 + ", "         ^"), s.detail());
    }
}
