package dev.counterpoint.office.reminder;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The hours of the chain's business day when no reminder is sent, {@code from} included, {@code until} not; a window
 * may run over midnight (21:00-09:00). {@link #NONE} sends at any hour.
 */
public record QuietHours(LocalTime from, LocalTime until) {
    public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    public static final QuietHours DEFAULT = new QuietHours(LocalTime.of(21, 0), LocalTime.of(9, 0));

    /** {@code HH:mm-HH:mm}, or {@code none}; anything else is refused with what was expected. */
    public static QuietHours parse(String text) {
        String t = text.strip();
        if (t.toLowerCase(Locale.ROOT).equals("none")) {
            return NONE;
        }
        String[] ends = t.split("-", -1);
        if (ends.length != 2) {
            throw new IllegalArgumentException("quiet hours must be HH:mm-HH:mm (e.g. 21:00-09:00) or none, not \"" + text + "\"");
        }
        try {
            LocalTime from = LocalTime.parse(ends[0].strip());
            LocalTime until = LocalTime.parse(ends[1].strip());
            if (from.equals(until)) {
                throw new IllegalArgumentException("quiet hours from " + from + " until " + until
                        + " are empty or the whole day; write none to send at any hour");
            }
            return new QuietHours(from, until);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("quiet hours must be HH:mm-HH:mm (e.g. 21:00-09:00) or none, not \"" + text + "\"");
        }
    }

    public boolean contains(LocalTime t) {
        if (from.equals(until)) {
            return false;
        }
        return from.isBefore(until) ? !t.isBefore(from) && t.isBefore(until) : !t.isBefore(from) || t.isBefore(until);
    }

    @Override
    public String toString() {
        return from.equals(until) ? "none" : from + "-" + until;
    }
}
