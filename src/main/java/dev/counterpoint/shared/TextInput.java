package dev.counterpoint.shared;

import dev.counterpoint.protocol.Text;

/** Text typed at the counter or on the command line, checked where it enters with the protocol's rules ({@link Text}). */
public final class TextInput {
    private TextInput() {}

    /**
     * Refuses (with a message naming {@code field}) text longer than {@code max}, or holding a line break, another
     * control character or a bidi control. Null passes.
     */
    public static String check(String field, String value, int max) {
        Text.problem(value, max).ifPresent(p -> {
            if (p == Text.Problem.TOO_LONG) {
                throw new BusinessRuleException("text.error.tooLong", field, max);
            }
            throw new BusinessRuleException("text.error.invalid", field, max);
        });
        return value;
    }
}
