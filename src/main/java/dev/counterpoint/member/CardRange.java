package dev.counterpoint.member;

import java.util.Objects;

/**
 * The card numbers that are this store's: EAN-13 codes starting with {@link #prefix()} (setting {@code card.range},
 * decision 0057). A store that buys pre-printed cards sets it to the numbers printed on them; the default, {@code 29},
 * is the whole in-store range the terminal draws new numbers from (decision 0009). An unknown card of the range, scanned
 * at the counter, is the card in the member's hand: enrolling gives them that card.
 */
public record CardRange(String prefix) {
    /** The whole in-store (restricted-circulation) range. */
    public static final String IN_STORE = "29";

    public CardRange {
        Objects.requireNonNull(prefix, "prefix");
        if (!valid(prefix)) {
            throw new IllegalArgumentException("a card range is 2 to 12 digits starting with 29, not \"" + prefix + "\"");
        }
    }

    /** Whether {@code prefix} can be a store's range: 2 to 12 digits, within the in-store range. */
    public static boolean valid(String prefix) {
        return prefix != null && prefix.matches("29\\d{0,10}");
    }

    /** A 13-digit code with its check digit right, of this range. */
    public boolean contains(String code) {
        return wellFormed(code) && code.startsWith(prefix);
    }

    /** 13 digits of the in-store range with a correct EAN-13 check digit: a card of some store, this one or not. */
    public static boolean wellFormed(String code) {
        return code != null && code.matches(IN_STORE + "\\d{11}") && CardCodes.checkDigit(code) == code.charAt(12) - '0';
    }

    /**
     * Whether a newly drawn number may be given out: one within a store's own narrower range could be printed on a
     * card still in the drawer. With the whole in-store range there is nothing to keep apart.
     */
    boolean mayDraw(String code) {
        return prefix.equals(IN_STORE) || !code.startsWith(prefix);
    }

    /** "2912…", as a message shows the range. */
    public String shown() {
        return prefix + "…";
    }
}
