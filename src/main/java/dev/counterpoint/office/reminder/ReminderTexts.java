package dev.counterpoint.office.reminder;

import dev.counterpoint.shared.Messages;
import java.text.MessageFormat;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * A reminder's words in the members' language, from the project's bundles (keys {@code reminder.*}): the member's name,
 * and the date, points, days or coupon the reminder is about. An SMS starts with the chain's 【signature】 when one is
 * set and ends with how to opt out; a text over one SMS is tried again with the name cut to its first
 * {@value #SHORT_NAME} characters.
 */
final class ReminderTexts {
    static final int SHORT_NAME = 4;

    private final Locale locale;
    private final ResourceBundle bundle;
    private final DateTimeFormatter dates;
    private final String signature;

    ReminderTexts(Locale locale, String signature) {
        this.locale = locale;
        this.bundle = Messages.bundle(locale);
        this.dates = DateTimeFormatter.ofPattern(bundle.getString("reminder.date"), locale);
        this.signature = signature;
    }

    /** The text for {@code due}, sent by {@code medium} (sms or wechat). */
    String text(Due due, String medium) {
        String name = due.to().name() == null ? "" : due.to().name().strip();
        String text = compose(due, medium, name);
        if ("sms".equals(medium) && SmsLength.segments(text) > 1 && name.codePointCount(0, name.length()) > SHORT_NAME) {
            text = compose(due, medium, name.substring(0, name.offsetByCodePoints(0, SHORT_NAME)));
        }
        return text;
    }

    private String compose(Due due, String medium, String name) {
        String body;
        if (due.detail() instanceof Due.Birthday b) {
            body = format("reminder.text.birthday", name, dates.format(b.on()));
        } else if (due.detail() instanceof Due.PointsExpiring p) {
            body = format("reminder.text.points_expiring", name, p.points(), dates.format(p.on()));
        } else if (due.detail() instanceof Due.Absent a) {
            body = format("reminder.text.win_back", name, a.days());
        } else {
            Due.Coupon c = (Due.Coupon) due.detail();
            body = format("reminder.text.coupon", name, locale.getLanguage().equals("zh") ? c.nameZh() : c.nameEn(),
                    dates.format(c.validUntil()));
        }
        if (!"sms".equals(medium)) {
            return body;
        }
        return (signature == null ? "" : "【" + signature + "】") + format("reminder.sms.optOut", body);
    }

    private String format(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }
}
