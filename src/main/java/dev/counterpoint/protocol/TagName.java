package dev.counterpoint.protocol;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for a custom member tag, wherever one enters (the counter, {@code member-tag}, the console, the owner API,
 * a pushed event, a pulled change, a segment): trimmed and in Unicode NFC, 1 to {@value #MAX_LENGTH} characters
 * (counted as code points, so a Chinese character is one), letters and digits of any script, space, {@code -} and
 * {@code _}; never an automatic tag's name, whatever its case. Two tags are the same tag only when their normal forms
 * are equal. A member holds at most {@value #MAX_PER_MEMBER} custom tags (decision 0077).
 */
public final class TagName {
    public static final int MAX_LENGTH = 16;
    public static final int MAX_PER_MEMBER = 20;
    /**
     * The automatic tags' names as the segment API spells them ({@code loyalty.SegmentTag}, which this package cannot
     * depend on; a test holds the two lists together).
     */
    public static final List<String> AUTOMATIC = List.of("HIGH_VALUE", "LOYAL", "PROMISING", "NEW", "DORMANT", "AT_RISK");

    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Nd} _-]+");

    /** What is wrong with a tag. */
    public enum Problem {
        EMPTY, TOO_LONG, CHARACTERS, AUTOMATIC
    }

    private TagName() {}

    /** The tag as it is kept: trimmed, NFC. Null stays null. */
    public static String normalise(String raw) {
        return raw == null ? null : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).strip();
    }

    /** The first problem of a tag already {@linkplain #normalise normalised}, if any. */
    public static Optional<Problem> problem(String tag) {
        if (tag == null || tag.isEmpty()) {
            return Optional.of(Problem.EMPTY);
        }
        if (tag.codePointCount(0, tag.length()) > MAX_LENGTH) {
            return Optional.of(Problem.TOO_LONG);
        }
        if (!ALLOWED.matcher(tag).matches()) {
            return Optional.of(Problem.CHARACTERS);
        }
        if (isAutomatic(tag)) {
            return Optional.of(Problem.AUTOMATIC);
        }
        return Optional.empty();
    }

    /** Whether {@code name} is an automatic tag's name, in any case. */
    public static boolean isAutomatic(String name) {
        return name != null && AUTOMATIC.contains(name.strip().toUpperCase(Locale.ROOT));
    }

    /**
     * A tag as a protocol record carries it: valid and already in its normal form (so head office and every store key
     * it the same way). Returns it; throws {@link ProtocolException} naming {@code field} otherwise.
     */
    public static String check(String tag, String field) {
        Check.required(tag, field);
        if (!tag.equals(normalise(tag))) {
            throw new ProtocolException(field + " is not trimmed and in NFC");
        }
        problem(tag).ifPresent(p -> {
            throw new ProtocolException(field + " " + describe(p));
        });
        return tag;
    }

    /** The problem in English, for head office's answers and verdicts. */
    public static String describe(Problem p) {
        return switch (p) {
            case EMPTY -> "is empty";
            case TOO_LONG -> "is longer than " + MAX_LENGTH + " characters";
            case CHARACTERS -> "may hold only letters, digits, space, - and _";
            case AUTOMATIC -> "is an automatic tag's name (" + String.join(", ", AUTOMATIC) + ")";
        };
    }
}
