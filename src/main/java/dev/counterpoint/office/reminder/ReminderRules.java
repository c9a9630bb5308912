package dev.counterpoint.office.reminder;

/**
 * How far ahead and after what each reminder is due, in days: a birthday from {@code birthdayDays} before it, points
 * from {@code pointsDays} before their lot expires, a win-back after {@code winBackDays} without a purchase, a coupon
 * head office issued for {@code couponDays} after its issue (while it can still be used).
 */
public record ReminderRules(int birthdayDays, int pointsDays, int winBackDays, int couponDays) {
}
