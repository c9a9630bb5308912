package dev.counterpoint.office.reminder;

import java.util.Locale;

/**
 * What a reminder is about. The order is the tie-break when two reminders of a member are equally urgent (decision
 * 0068): points about to be lost, then the birthday, then a new coupon, then a member who has not come back.
 */
public enum ReminderKind {
    POINTS_EXPIRING,
    BIRTHDAY,
    COUPON,
    WIN_BACK;

    /** As it is written in messages, files and the database: {@code points_expiring}, {@code birthday}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
