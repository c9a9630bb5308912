package dev.counterpoint.office.reminder;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.UUID;

/**
 * A reminder due for a member: its kind, its occasion (what makes it this reminder and not another of the same kind:
 * the birthday's year, the expiry date, the last purchase's day, the coupon's code), the last day it is still worth
 * sending (null: as long as it holds) and what the message says.
 */
public record Due(Recipient to, ReminderKind kind, String occasion, LocalDate lastDay, Detail detail) {
    /**
     * Who it goes to, as head office holds them: the phone's hash and mask say which number the box must hold;
     * {@code consented}: for the run's channel.
     */
    public record Recipient(UUID memberId, String cardCode, String name, String phoneHmac, String phoneMasked,
                            String phoneBox, boolean consented) {
    }

    /** What the message says, per kind. */
    public sealed interface Detail {
    }

    /** The birthday is on {@code on} (this year's or, near the year's end, next year's). */
    public record Birthday(LocalDate on) implements Detail {
    }

    /** {@code points} points expire after {@code on} (the last day they can be spent). */
    public record PointsExpiring(long points, LocalDate on) implements Detail {
    }

    /** No purchase for {@code days} days, the last on {@code lastVisit}. */
    public record Absent(long days, LocalDate lastVisit) implements Detail {
    }

    /** A coupon head office issued to the member. */
    public record Coupon(String code, String nameZh, String nameEn, LocalDate validUntil) implements Detail {
    }

    /** The most urgent first: the one whose last day comes first, then by kind ({@link ReminderKind}'s order). */
    public static final Comparator<Due> URGENCY = Comparator.comparing(Due::lastDay, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Due::kind);

    /** The reminder's identity, the same in every run: member, kind, occasion. */
    public Key key() {
        return new Key(to.memberId(), kind, occasion);
    }

    public record Key(UUID memberId, ReminderKind kind, String occasion) {
    }
}
