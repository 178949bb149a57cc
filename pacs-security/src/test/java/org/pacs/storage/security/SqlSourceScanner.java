package org.pacs.storage.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds SQL built from pieces in Java source: a deliberately small lexer (comments, strings, text blocks,
 * identifiers, operators) plus rules, so SQL keywords in comments or in unrelated messages do not count.
 * A "statement" is the tokens between {@code ;}, <code>{</code> and <code>}</code>.
 */
final class SqlSourceScanner {

    /** Uppercase keywords as this module writes SQL, or lowercase statement shapes. */
    private static final Pattern SQL = Pattern.compile(
            "\\b(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|ATTACH|WHERE|VALUES|ORDER BY)\\b"
                    + "|(?i)\\bselect\\b[\\s\\S]*\\bfrom\\b|\\binsert\\s+into\\b|\\bupdate\\s+\\w+\\s+set\\b"
                    + "|\\bdelete\\s+from\\b|\\bdrop\\s+table\\b|\\bcreate\\s+(table|index)\\b|\\bwhere\\s+\\w+\\s*=");
    private static final Pattern SQL_NAME = Pattern.compile("(?i).*(sql|query|stmt|statement|where|clause).*");

    private enum Kind { STRING, IDENT, OP, OTHER }

    private record Token(Kind kind, String text, int line) {
        boolean is(String s) {
            return kind == Kind.OP && text.equals(s);
        }
    }

    private SqlSourceScanner() {
    }

    /** Returns one line per finding, {@code name:line: why}; empty when the source is clean. */
    static List<String> scan(String name, String source) {
        List<Token> tokens = lex(source);
        List<String> findings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i == tokens.size() || tokens.get(i).is(";") || tokens.get(i).is("{") || tokens.get(i).is("}")) {
                checkStatement(name, tokens.subList(start, i), findings);
                start = i + 1;
            }
        }
        for (int i = 0; i + 2 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Kind.IDENT && t.text.equals("createStatement")) {
                findings.add(name + ":" + t.line + ": createStatement; use a PreparedStatement with bound parameters");
            }
            if (t.kind == Kind.IDENT && t.text.matches("execute|executeQuery|executeUpdate|executeLargeUpdate|addBatch")
                    && tokens.get(i + 1).is("(") && !tokens.get(i + 2).is(")")) {
                findings.add(name + ":" + t.line + ": " + t.text + "(sql) runs unprepared SQL text");
            }
        }
        return findings;
    }

    private static void checkStatement(String name, List<Token> statement, List<String> findings) {
        boolean hasSqlLiteral = statement.stream().anyMatch(t -> t.kind == Kind.STRING && SQL.matcher(t.text).find());
        for (int i = 0; i < statement.size(); i++) {
            Token t = statement.get(i);
            if (t.is("+") || t.is("+=")) {
                Token left = i > 0 ? statement.get(i - 1) : null;
                Token right = i + 1 < statement.size() ? statement.get(i + 1) : null;
                boolean literalBeside = isString(left) || isString(right);
                boolean allLiterals = t.is("+") && isString(left) && isString(right);
                if (hasSqlLiteral && literalBeside && !allLiterals) {
                    findings.add(name + ":" + t.line + ": SQL text concatenated with a non-constant value");
                } else if (isSqlName(left) || isSqlName(right)) {
                    findings.add(name + ":" + t.line + ": a SQL-named variable is extended with '" + t.text + "'");
                }
            }
            if (hasSqlLiteral && t.kind == Kind.IDENT && t.text.matches("format|formatted|append|concat|join|replace")) {
                findings.add(name + ":" + t.line + ": SQL text built with " + t.text + "()");
            }
        }
    }

    private static boolean isString(Token t) {
        return t != null && t.kind == Kind.STRING;
    }

    private static boolean isSqlName(Token t) {
        return t != null && t.kind == Kind.IDENT && SQL_NAME.matcher(t.text).matches();
    }

    private static List<Token> lex(String s) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < s.length() && !(s.startsWith("\"\"\"", end) && s.charAt(end - 1) != '\\')) {
                    end++;
                }
                tokens.add(new Token(Kind.STRING, s.substring(i + 3, Math.min(end, s.length())), line));
                i = Math.min(end + 3, s.length());
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < s.length() && s.charAt(i) != c) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                tokens.add(new Token(c == '"' ? Kind.STRING : Kind.OTHER, s.substring(start + 1, Math.min(i - 1, s.length())), line));
            } else if (Character.isJavaIdentifierStart(c)) {
                while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, s.substring(start, i), line));
            } else if (Character.isDigit(c)) {
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.OTHER, s.substring(start, i), line));
            } else {
                boolean twoChar = s.startsWith("+=", i) || s.startsWith("++", i);
                i += twoChar ? 2 : 1;
                tokens.add(new Token(Kind.OP, s.substring(start, i), line));
            }
            line += countNewlines(s, start, i);
        }
        return tokens;
    }

    private static int countNewlines(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
