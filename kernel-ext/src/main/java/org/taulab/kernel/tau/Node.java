package org.taulab.kernel.tau;

import java.util.List;

/** The syntax tree of {@code %%tau} code. Every node knows the line and column it starts at. */
sealed interface Node {
    int line();

    int column();

    record Number(String text, boolean percent, int line, int column) implements Node { }

    record Text(String value, int line, int column) implements Node { }

    record Bool(boolean value, int line, int column) implements Node { }

    record Name(String name, int line, int column) implements Node { }

    /** A binary operation; line and column are those of the operator. */
    record Binary(char operator, Node left, Node right, int line, int column) implements Node { }

    record Negate(Node operand, int line, int column) implements Node { }

    record ListOf(List<Node> items, int line, int column) implements Node { }

    /** {@code f(a, b, k=v)}: a DSL function. */
    record Call(String function, List<Node> positional, List<NamedArg> named, int line, int column) implements Node { }

    /** {@code x.m(a)}: a public method of the value x. */
    record MethodCall(Node target, String method, List<Node> positional, int line, int column) implements Node { }

    record NamedArg(String name, Node value, int line, int column) { }

    /** One statement: {@code target = value} or a bare expression (target null). */
    record Statement(String target, Node value, int line, int column) { }
}
