package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code %%tau} source into tokens. {@code #} starts a comment; a trailing {@code \} joins the
 * next line; newlines inside brackets do not end a statement; {@code 8%} is a percent number.
 */
final class TauLexer {
    private static final String OPERATORS = "+-*/=(),[].";

    private final String src;
    private final int firstLine;
    private int pos;
    private int line;
    private int lineStart;
    private int depth;

    private TauLexer(String src, int firstLine) {
        this.src = src;
        this.firstLine = firstLine;
        this.line = firstLine;
    }

    /** Tokens of {@code src}, whose first line is line {@code firstLine} of the cell. */
    static List<Token> tokens(String src, int firstLine) {
        return new TauLexer(src, firstLine).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            int col = pos - lineStart + 1;
            if (c == '\n') {
                if (depth == 0 && !out.isEmpty() && out.get(out.size() - 1).kind() != Token.Kind.NEWLINE) {
                    out.add(new Token(Token.Kind.NEWLINE, "\n", line, col));
                }
                newLine();
            } else if (c == '\\' && restOfLineBlank(pos + 1)) {
                pos = src.indexOf('\n', pos);
                if (pos < 0) {
                    pos = src.length();
                } else {
                    newLine();
                }
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                out.add(number(col));
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = pos;
                while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))) {
                    pos++;
                }
                out.add(new Token(Token.Kind.NAME, src.substring(start, pos), line, col));
            } else if (c == '"' || c == '\'') {
                out.add(string(c, col));
            } else if (OPERATORS.indexOf(c) >= 0) {
                if (c == '(' || c == '[') {
                    depth++;
                } else if ((c == ')' || c == ']') && depth > 0) {
                    depth--;
                }
                out.add(new Token(Token.Kind.OPERATOR, String.valueOf(c), line, col));
                pos++;
            } else {
                throw new TauError(line, col, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Token.Kind.END, "", line, pos - lineStart + 1));
        return out;
    }

    private void newLine() {
        pos++;
        line++;
        lineStart = pos;
    }

    private boolean restOfLineBlank(int from) {
        for (int i = from; i < src.length() && src.charAt(i) != '\n'; i++) {
            if (!Character.isWhitespace(src.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Token number(int col) {
        int start = pos;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        } else if (pos < src.length() && src.charAt(pos) == '.' && (pos + 1 >= src.length() || !Character.isJavaIdentifierStart(src.charAt(pos + 1)))) {
            pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String text = src.substring(start, pos).replace("_", "");
        if (pos < src.length() && src.charAt(pos) == '%') {
            pos++;
            return new Token(Token.Kind.PERCENT_NUMBER, text, line, col);
        }
        if (pos < src.length() && Character.isJavaIdentifierStart(src.charAt(pos))) {
            throw new TauError(line, pos - lineStart + 1, "unexpected '" + src.charAt(pos) + "' after number " + text);
        }
        return new Token(Token.Kind.NUMBER, text, line, col);
    }

    private Token string(char quote, int col) {
        StringBuilder b = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new TauError(line, col, "string is not closed");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                b.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                b.append(c);
            }
        }
        return new Token(Token.Kind.STRING, b.toString(), line, col);
    }
}
