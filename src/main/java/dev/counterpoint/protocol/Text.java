package dev.counterpoint.protocol;

import java.util.Optional;

/**
 * The rules for free text wherever it enters (an import, a counter form, a pushed event, a pulled change): within its
 * length, no control characters (C0, DEL, C1, and the line and paragraph separators U+2028 and U+2029, which JSON
 * and CSV readers and a receipt printer take as no break or as another; a single-line field takes no line break or tab
 * either), and no bidirectional controls: the marks U+200E, U+200F and U+061C and the embeddings, overrides and
 * isolates U+202A–U+202E and U+2066–U+2069, which make a name or a receipt line read differently from what it holds.
 */
public final class Text {
    /** What is wrong with a value. */
    public enum Problem {
        TOO_LONG, CONTROL, BIDI
    }

    private Text() {}

    /** The first problem of a one-line value (a name, a code, a reason), if any; null is no problem. */
    public static Optional<Problem> problem(String value, int maxLength) {
        return problem(value, maxLength, false);
    }

    /** As {@link #problem(String, int)}, but tabs and line breaks are allowed (a rule set's JSON body). */
    public static Optional<Problem> multilineProblem(String value, int maxLength) {
        return problem(value, maxLength, true);
    }

    private static Optional<Problem> problem(String value, int maxLength, boolean multiline) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() > maxLength) {
            return Optional.of(Problem.TOO_LONG);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isBidiControl(c)) {
                return Optional.of(Problem.BIDI);
            }
            if (isLineSeparator(c)
                    || Character.isISOControl(c) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
                return Optional.of(Problem.CONTROL);
            }
        }
        return Optional.empty();
    }

    /** The marks U+200E, U+200F, U+061C, U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates). */
    public static boolean isBidiControl(int c) {
        return c == 0x200E || c == 0x200F || c == 0x061C || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
    }

    /** U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: breaks a single line must not hold, refused in any field. */
    public static boolean isLineSeparator(int c) {
        return c == 0x2028 || c == 0x2029;
    }
}
