package dev.counterpoint.member;

import java.util.Locale;
import java.util.Optional;

/** A yes or no as a legacy list or a manager writes it: yes/no, 1/0, 是/否, in any case. */
public final class ConsentAnswer {
    /** The spellings, as messages list them. */
    public static final String SPELLINGS = "yes, no, 1, 0, 是, 否";

    private ConsentAnswer() {}

    /** True or false; empty when the text is none of the spellings. */
    public static Optional<Boolean> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "1", "是" -> Optional.of(true);
            case "no", "0", "否" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
