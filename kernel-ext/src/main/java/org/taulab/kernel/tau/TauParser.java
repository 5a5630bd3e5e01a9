package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser of {@code %%tau} code: statements {@code name = expr} or {@code expr}, one per
 * line; {@code + -} below {@code * /} below unary minus; calls with positional then named arguments;
 * list literals; numbers, percent numbers, strings and booleans.
 */
final class TauParser {
    private static final Set<String> KEYWORDS = Set.of("true", "false");

    private final List<Token> tokens;
    private int next;

    private TauParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Statements of {@code src}, whose first line is line {@code firstLine} of the cell. */
    static List<Node.Statement> parse(String src, int firstLine) {
        return new TauParser(TauLexer.tokens(src, firstLine)).statements();
    }

    private List<Node.Statement> statements() {
        List<Node.Statement> out = new ArrayList<>();
        while (peek().kind() != Token.Kind.END) {
            if (peek().kind() == Token.Kind.NEWLINE) {
                next++;
                continue;
            }
            out.add(statement());
            Token end = peek();
            if (end.kind() != Token.Kind.NEWLINE && end.kind() != Token.Kind.END) {
                throw error(end, "expected end of line, found " + end.describe());
            }
        }
        return out;
    }

    private Node.Statement statement() {
        Token first = peek();
        if (first.kind() == Token.Kind.NAME && tokens.get(next + 1).is("=")) {
            if (KEYWORDS.contains(first.text())) {
                throw error(first, "cannot assign to " + first.text());
            }
            next += 2;
            return new Node.Statement(first.text(), expression(), first.line(), first.column());
        }
        return new Node.Statement(null, expression(), first.line(), first.column());
    }

    private Node expression() {
        Node left = term();
        while (peek().is("+") || peek().is("-")) {
            Token op = take();
            left = new Node.Binary(op.text().charAt(0), left, term(), op.line(), op.column());
        }
        return left;
    }

    private Node term() {
        Node left = unary();
        while (peek().is("*") || peek().is("/")) {
            Token op = take();
            left = new Node.Binary(op.text().charAt(0), left, unary(), op.line(), op.column());
        }
        return left;
    }

    private Node unary() {
        if (peek().is("-")) {
            Token op = take();
            return new Node.Negate(unary(), op.line(), op.column());
        }
        if (peek().is("+")) {
            take();
            return unary();
        }
        return postfix();
    }

    private Node postfix() {
        Node node = primary();
        while (peek().is(".")) {
            take();
            Token method = take();
            if (method.kind() != Token.Kind.NAME) {
                throw error(method, "expected a method name after '.', found " + method.describe());
            }
            expect("(", "after method name " + method.text());
            List<Node> args = new ArrayList<>();
            if (!peek().is(")")) {
                do {
                    args.add(expression());
                } while (accept(","));
            }
            expect(")", "to close the arguments of " + method.text());
            node = new Node.MethodCall(node, method.text(), args, method.line(), method.column());
        }
        return node;
    }

    private Node primary() {
        Token t = take();
        switch (t.kind()) {
            case NUMBER:
                return new Node.Number(t.text(), false, t.line(), t.column());
            case PERCENT_NUMBER:
                return new Node.Number(t.text(), true, t.line(), t.column());
            case STRING:
                return new Node.Text(t.text(), t.line(), t.column());
            case NAME:
                if (KEYWORDS.contains(t.text())) {
                    return new Node.Bool(Boolean.parseBoolean(t.text()), t.line(), t.column());
                }
                return peek().is("(") ? call(t) : new Node.Name(t.text(), t.line(), t.column());
            default:
                break;
        }
        if (t.is("(")) {
            Node inner = expression();
            expect(")", "to close '(' at line " + t.line() + ", column " + t.column());
            return inner;
        }
        if (t.is("[")) {
            List<Node> items = new ArrayList<>();
            if (!peek().is("]")) {
                do {
                    items.add(expression());
                } while (accept(","));
            }
            expect("]", "to close '[' at line " + t.line() + ", column " + t.column());
            return new Node.ListOf(items, t.line(), t.column());
        }
        throw error(t, "expected a value, found " + t.describe());
    }

    private Node call(Token name) {
        take();
        List<Node> positional = new ArrayList<>();
        List<Node.NamedArg> named = new ArrayList<>();
        if (!peek().is(")")) {
            do {
                Token t = peek();
                if (t.kind() == Token.Kind.NAME && tokens.get(next + 1).is("=")) {
                    next += 2;
                    if (named.stream().anyMatch(a -> a.name().equals(t.text()))) {
                        throw error(t, "argument " + t.text() + " given twice");
                    }
                    named.add(new Node.NamedArg(t.text(), expression(), t.line(), t.column()));
                } else if (!named.isEmpty()) {
                    throw error(t, "positional argument after named arguments");
                } else {
                    positional.add(expression());
                }
            } while (accept(","));
        }
        expect(")", "to close the arguments of " + name.text());
        return new Node.Call(name.text(), positional, named, name.line(), name.column());
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Token.Kind.END) {
            next++;
        }
        return t;
    }

    private boolean accept(String op) {
        if (peek().is(op)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String op, String why) {
        Token t = peek();
        if (!t.is(op)) {
            throw error(t, "expected '" + op + "' " + why + ", found " + t.describe());
        }
        next++;
    }

    private static TauError error(Token t, String message) {
        return new TauError(t.line(), t.column(), message);
    }
}
