package org.taulab.kernel.tau;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TauParserTest {
    /** Prints a tree fully parenthesized, to check precedence and associativity. */
    private static String show(Node n) {
        if (n instanceof Node.Number x) {
            return x.text() + (x.percent() ? "%" : "");
        }
        if (n instanceof Node.Name x) {
            return x.name();
        }
        if (n instanceof Node.Text x) {
            return "'" + x.value() + "'";
        }
        if (n instanceof Node.Bool x) {
            return String.valueOf(x.value());
        }
        if (n instanceof Node.Binary b) {
            return "(" + show(b.left()) + " " + b.operator() + " " + show(b.right()) + ")";
        }
        if (n instanceof Node.Negate x) {
            return "(-" + show(x.operand()) + ")";
        }
        if (n instanceof Node.ListOf l) {
            return "[" + String.join(", ", l.items().stream().map(TauParserTest::show).toList()) + "]";
        }
        if (n instanceof Node.Call c) {
            List<String> args = new java.util.ArrayList<>(c.positional().stream().map(TauParserTest::show).toList());
            c.named().forEach(a -> args.add(a.name() + "=" + show(a.value())));
            return c.function() + "(" + String.join(", ", args) + ")";
        }
        Node.MethodCall m = (Node.MethodCall) n;
        return show(m.target()) + "." + m.method() + "(" + String.join(", ", m.positional().stream().map(TauParserTest::show).toList()) + ")";
    }

    private static String parse(String src) {
        List<Node.Statement> s = TauParser.parse(src, 1);
        assertEquals(1, s.size());
        return (s.get(0).target() == null ? "" : s.get(0).target() + " = ") + show(s.get(0).value());
    }

    @Test
    void multiplicationBindsTighterThanAdditionAndBothAssociateLeft() {
        assertEquals("((1 + (2 * 3)) - 4)", parse("1 + 2 * 3 - 4"));
        assertEquals("((8 / 2) / 2)", parse("8 / 2 / 2"));
        assertEquals("((1 - 2) - 3)", parse("1 - 2 - 3"));
    }

    @Test
    void unaryMinusBindsTighterThanMultiplication() {
        assertEquals("((-a) * b)", parse("-a * b"));
        assertEquals("(a - (-b))", parse("a - -b"));
    }

    @Test
    void theTaskArithmeticLineParsesAsThePaperWritesIt() {
        assertEquals("theta = (pre + (0.3 * (tau(ft1) + tau(ft2))))", parse("theta = pre + 0.3 * (tau(ft1) + tau(ft2))"));
    }

    @Test
    void callsTakePositionalThenNamedArguments() {
        assertEquals("dvbasi(theta0, iterations=4)", parse("dvbasi(theta0, iterations=4)"));
        assertEquals("cart([ft1, ft2], rank=8%, lambda=2.0)", parse("cart([ft1, ft2], rank=8%, lambda=2.0)"));
        TauError e = assertThrows(TauError.class, () -> TauParser.parse("f(a=1, b)", 1));
        assertEquals("line 1, column 8: positional argument after named arguments", e.getMessage());
    }

    @Test
    void literalsCommentsContinuationsAndMethodCalls() {
        List<Node.Statement> s = TauParser.parse("# a comment\nx = 'it\\'s' # trailing\ny = 1 + \\\n  2\nok = true\nc = a.cos(b)\n", 1);
        assertEquals(4, s.size());
        assertEquals("y", s.get(1).target());
        assertEquals("(1 + 2)", show(s.get(1).value()));
        assertEquals(3, s.get(1).line());
        assertEquals("true", show(s.get(2).value()));
        assertEquals("a.cos(b)", show(s.get(3).value()));
    }

    @Test
    void newlinesInsideBracketsContinueTheStatement() {
        assertEquals("s = sum([a, b])", parse("s = sum([a,\n  b])"));
    }

    @Test
    void errorsNameTheLineAndColumnOfTheOffendingToken() {
        TauError e = assertThrows(TauError.class, () -> TauParser.parse("x = 1\ny = 1 +* 2", 1));
        assertEquals(2, e.line());
        assertEquals(8, e.column());
        assertEquals("expected a value, found '*'", e.reason());
        TauError open = assertThrows(TauError.class, () -> TauParser.parse("z = (1 + 2", 5));
        assertEquals("line 5, column 11: expected ')' to close '(' at line 5, column 5, found end of input", open.getMessage());
        TauError chars = assertThrows(TauError.class, () -> TauParser.parse("a = 3 ^ 2", 1));
        assertEquals(7, chars.column());
    }
}
