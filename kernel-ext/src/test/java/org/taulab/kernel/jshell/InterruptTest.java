package org.taulab.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.taulab.kernel.TestSessions;

class InterruptTest {
    @Test
    void aBusyLoopIsStoppedWithinASecondAndTheSessionKeepsWorking() throws Exception {
        try (JavaSession session = TestSessions.start()) {
            session.eval("long n = 0;");
            CompletableFuture<Object> loop = CompletableFuture.supplyAsync(() -> session.eval("while (true) { n++; }"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!session.control().isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            long stopAt = System.nanoTime();
            session.stop();
            ExecutionException e = assertThrows(ExecutionException.class, () -> loop.get(1, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - stopAt < 1_000_000_000L);
            assertEquals("Interrupted", ((CellError) e.getCause()).errorName());
            assertTrue((long) session.eval("n") > 0, "the loop ran");
            assertEquals(42, session.eval("6 * 7"));
        }
    }

    @Test
    void systemExitInACellIsRefusedAndReportedAndTheSessionKeepsWorking() {
        try (JavaSession session = TestSessions.start()) {
            CellError e = assertThrows(CellError.class, () -> session.eval("System.exit(3);"));
            assertTrue(e.getMessage().contains("System.exit / Runtime.halt (status 3) in a cell is refused"), e.getMessage());
            CellError halt = assertThrows(CellError.class, () -> session.eval("Runtime.getRuntime().halt(4);"));
            assertTrue(halt.getMessage().contains("in a cell is refused"), halt.getMessage());
            assertEquals(7, session.eval("3 + 4"));
            // a thread the cell starts is a cell's thread too
            assertEquals("refused", session.eval("String[] r = {\"ran\"}; Thread t = new Thread(() -> { try { System.exit(5); } "
                    + "catch (SecurityException x) { r[0] = \"refused\"; } }); t.start(); t.join(); r[0]"));
        }
    }

    @Test
    void compileErrorsNameLineAndColumnOfTheCell() {
        try (JavaSession session = TestSessions.start()) {
            CellError e = assertThrows(CellError.class, () -> session.eval("int a = 1;\nint b = a + missing;"));
            assertEquals("CompilationError", e.errorName());
            assertEquals("line 2, column 13: cannot find symbol", e.getMessage());
            assertEquals("int b = a + missing;", e.detail().get(e.detail().size() - 2));
            assertEquals("            ^", e.detail().get(e.detail().size() - 1));
        }
    }

    @Test
    void exceptionsShowTheCauseFirst() {
        try (JavaSession session = TestSessions.start()) {
            CellError e = assertThrows(CellError.class,
                    () -> session.eval("throw new RuntimeException(\"outer\", new IllegalArgumentException(\"the cause\"));"));
            assertEquals("IllegalArgumentException", e.errorName());
            assertEquals("the cause", e.getMessage());
            assertEquals("wrapped in java.lang.RuntimeException: outer", e.detail().get(0));
        }
    }

    @Test
    void repeatedStatementsReuseTheirCompiledClassUntilADeclarationChangesMeaning() {
        try (JavaSession session = TestSessions.start()) {
            session.eval("int x = 1;");
            assertEquals(2, session.eval("x + 1"));
            session.eval("x = 5");
            session.eval("x = 5");
            assertEquals(5, session.eval("x"));
            session.eval("String x = \"s\";");
            assertEquals("s!", session.eval("x + \"!\""));
            assertEquals("s", session.eval("x"));
        }
    }
}
