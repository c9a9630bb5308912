package dev.counterpoint.office.reminder;

import dev.counterpoint.shared.Messages;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The owner's reminder settings: {@value #FILE} in head office's data dir, every key optional (docs/reminders.md).
 * Read once when a run or the office starts; a key it does not know, or a value out of range, is refused with the key
 * named, so a typing mistake never sends with a default the owner did not choose.
 *
 * @param winBackDays null: the chain's rule set's {@code winBackAfterDays}
 * @param language    the members' language (head office does not know each member's): zh-CN unless set
 * @param smsSignature the sender's name an SMS starts with, in 【】 (Chinese gateways require one), or null
 */
public record ReminderSettings(QuietHours quietHours, int birthdayDays, int pointsDays, Integer winBackDays, int couponDays,
                               Locale language, String smsSignature, Optional<Schedule> schedule) {
    public static final String FILE = "reminders.properties";
    static final int DEFAULT_BIRTHDAY_DAYS = 3;
    static final int DEFAULT_POINTS_DAYS = 14;
    static final int DEFAULT_COUPON_DAYS = 7;
    private static final Set<String> KEYS = Set.of("quiet.hours", "birthday.days", "points.days", "winback.days",
            "coupon.days", "language", "sms.signature", "schedule.time", "schedule.channel", "schedule.consent",
            "schedule.secret-file");

    /**
     * The office's daily run: at {@code time} in the business zone, on {@code channel} (a channel spec, as
     * {@code --channel} takes it), with the consent it needs ({@code sms} or {@code wechat}, null: the channel's own) and
     * the channel's secret in {@code secretFile} (null: {@code COUNTERPOINT_REMINDER_SECRET}).
     */
    public record Schedule(LocalTime time, String channel, String consent, Path secretFile) {
    }

    public static ReminderSettings defaults() {
        return new ReminderSettings(QuietHours.DEFAULT, DEFAULT_BIRTHDAY_DAYS, DEFAULT_POINTS_DAYS, null, DEFAULT_COUPON_DAYS,
                Messages.CHINESE, null, Optional.empty());
    }

    /** The settings in {@code officeDir}, or the defaults when the file is not there. */
    public static ReminderSettings load(Path officeDir) {
        Path file = officeDir.resolve(FILE);
        if (!Files.exists(file)) {
            return defaults();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return parse(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static ReminderSettings parse(Properties p) {
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown) + " (known: "
                    + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        QuietHours quiet = p.containsKey("quiet.hours") ? QuietHours.parse(p.getProperty("quiet.hours")) : QuietHours.DEFAULT;
        int birthday = days(p, "birthday.days", DEFAULT_BIRTHDAY_DAYS, 0, 60);
        int points = days(p, "points.days", DEFAULT_POINTS_DAYS, 0, 90);
        Integer winBack = p.containsKey("winback.days") ? days(p, "winback.days", 0, 7, 3650) : null;
        int coupon = days(p, "coupon.days", DEFAULT_COUPON_DAYS, 0, 30);
        Locale language = Messages.CHINESE;
        if (p.containsKey("language")) {
            try {
                language = Messages.resolve(p.getProperty("language").strip(), Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("language: " + e.getMessage());
            }
        }
        String signature = p.getProperty("sms.signature");
        if (signature != null) {
            signature = signature.strip();
            if (signature.codePointCount(0, signature.length()) < 2 || signature.codePointCount(0, signature.length()) > 12
                    || signature.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '【' || c == '】')) {
                throw new IllegalArgumentException("sms.signature must be 2 to 12 characters without 【】 or control "
                        + "characters (it is sent as 【signature】), not \"" + signature + "\"");
            }
        }
        Optional<Schedule> schedule = Optional.empty();
        if (p.containsKey("schedule.time")) {
            LocalTime time;
            try {
                time = LocalTime.parse(p.getProperty("schedule.time").strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("schedule.time must be HH:mm, not \"" + p.getProperty("schedule.time") + "\"");
            }
            if (quiet.contains(time)) {
                throw new IllegalArgumentException("schedule.time " + time + " is within the quiet hours " + quiet
                        + ": nothing would ever be sent");
            }
            String channel = p.getProperty("schedule.channel");
            if (channel == null || channel.isBlank()) {
                throw new IllegalArgumentException("schedule.time needs schedule.channel (file:PATH, webhook:URL or sms:URL)");
            }
            ChannelSpec.parse(channel.strip()); // refused now, not at the first run
            String consent = p.getProperty("schedule.consent");
            if (consent != null) {
                ChannelSpec.consent(consent.strip());
            }
            String secret = p.getProperty("schedule.secret-file");
            schedule = Optional.of(new Schedule(time, channel.strip(), consent == null ? null : consent.strip(),
                    secret == null || secret.isBlank() ? null : Path.of(secret.strip())));
        } else if (p.containsKey("schedule.channel") || p.containsKey("schedule.consent") || p.containsKey("schedule.secret-file")) {
            throw new IllegalArgumentException("schedule.channel, schedule.consent and schedule.secret-file need schedule.time");
        }
        return new ReminderSettings(quiet, birthday, points, winBack, coupon, language, signature, schedule);
    }

    private static int days(Properties p, String key, int fallback, int min, int max) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            int d = Integer.parseInt(v.strip());
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + " must be a whole number of days from " + min + " to " + max + ", not \""
                + v + "\"");
    }

    /** The same settings with other quiet hours. */
    public ReminderSettings withQuietHours(QuietHours q) {
        return new ReminderSettings(q, birthdayDays, pointsDays, winBackDays, couponDays, language, smsSignature, schedule);
    }
}
