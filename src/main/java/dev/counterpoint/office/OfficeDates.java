package dev.counterpoint.office;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A date typed to head office (the owner API, the console): exactly YYYY-MM-DD within a range of years. LocalDate.parse
 * alone takes "+999999999-01-01", which a coupon then carried to every store.
 */
public final class OfficeDates {
    /** Coupons, campaigns, segments and reports: the chain's business days. */
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2100;
    /** A member's birthday may be long before the chain. */
    public static final int FIRST_BIRTH_YEAR = 1900;

    private static final Pattern FORM = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private OfficeDates() {}

    /** A business day, or empty if {@code text} is not YYYY-MM-DD, not a date, or outside 2000–2100. */
    public static Optional<LocalDate> day(String text) {
        return parse(text, FIRST_YEAR);
    }

    /** A birthday, or empty if {@code text} is not YYYY-MM-DD, not a date, or outside 1900–2100. */
    public static Optional<LocalDate> birthday(String text) {
        return parse(text, FIRST_BIRTH_YEAR);
    }

    private static Optional<LocalDate> parse(String text, int firstYear) {
        if (text == null || !FORM.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            LocalDate d = LocalDate.of(Integer.parseInt(text.substring(0, 4)), Integer.parseInt(text.substring(5, 7)),
                    Integer.parseInt(text.substring(8, 10)));
            return d.getYear() < firstYear || d.getYear() > LAST_YEAR ? Optional.empty() : Optional.of(d);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
