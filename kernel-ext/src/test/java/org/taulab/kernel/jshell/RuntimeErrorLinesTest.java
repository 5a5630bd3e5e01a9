package org.taulab.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taulab.kernel.TestSessions;

class RuntimeErrorLinesTest {
    @Test
    void anExceptionNamesTheCellLinesItWasThrownFrom() {
        try (JavaSession session = TestSessions.start()) {
            session.eval("int helper(int a) {\n    int b = 2;\n    return b / a;\n}");
            String cell = "int x = 0;\n"
                    + "int ok = 1;\n"
                    + "int twice(int a) {\n"
                    + "    return helper(a) * 2;\n"
                    + "}\n"
                    + "int y =\n"
                    + "    twice(x);\n";
            CellError e = assertThrows(CellError.class, () -> session.eval(cell));
            assertEquals("ArithmeticException", e.errorName());
            assertEquals("/ by zero", e.getMessage());
            assertEquals(List.of(
                    "in helper(), declared in an earlier cell (its line 3)",
                    "line 4 in twice(): return helper(a) * 2;",
                    "line 7: twice(x);"), e.detail());
        }
    }

    @Test
    void aWrappedCauseIsLocatedWhereTheCauseWasThrown() {
        try (JavaSession session = TestSessions.start()) {
            String cell = "String s = null;\n"
                    + "try {\n"
                    + "    s.length();\n"
                    + "} catch (NullPointerException npe) {\n"
                    + "    throw new IllegalStateException(\"outer\", npe);\n"
                    + "}";
            CellError e = assertThrows(CellError.class, () -> session.eval(cell));
            assertEquals("NullPointerException", e.errorName());
            assertEquals("wrapped in java.lang.IllegalStateException: outer", e.detail().get(0));
            assertEquals("line 3: s.length();", e.detail().get(1));
        }
    }
}
