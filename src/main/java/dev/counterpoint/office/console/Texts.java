package dev.counterpoint.office.console;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The console's words in one language (the project's resource bundles, keys {@code console.*}), and how it writes
 * money and times: fen as ¥ with two decimals, times in head office's business zone.
 */
public final class Texts {
    /** The console's languages, in the order the switch shows them. */
    public static final List<Locale> LANGUAGES = List.of(Messages.CHINESE, Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ResourceBundle bundle;
    private final Locale locale;
    private final ZoneId zone;

    public Texts(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.bundle = Messages.bundle(locale);
        this.zone = zone;
    }

    public Locale locale() {
        return locale;
    }

    /** The language's tag for {@code <html lang>} and the switch: zh-CN or en. */
    public String tag() {
        return tag(locale);
    }

    public static String tag(Locale locale) {
        return locale.equals(Messages.CHINESE) ? "zh-CN" : "en";
    }

    public ZoneId zone() {
        return zone;
    }

    /** Every text goes through MessageFormat, with or without arguments, so '' is an apostrophe everywhere. */
    public String text(String key) {
        return new MessageFormat(bundle.getString(key), locale).format(new Object[0]);
    }

    public String text(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }

    /** The text of {@code key} if the bundle has it, else {@code fallback} (a code no text was written for). */
    public String textOr(String key, String fallback) {
        return bundle.containsKey(key) ? text(key) : fallback;
    }

    /** Names in a line of text: 甲、乙 in Chinese, "a, b" in English. */
    public String list(List<String> items) {
        return String.join(locale.equals(Messages.CHINESE) ? "、" : ", ", items);
    }

    public String money(long fen) {
        return Money.format(fen);
    }

    public String time(OffsetDateTime at) {
        return at == null ? "—" : at.atZoneSameInstant(zone).format(TIME);
    }

    public String date(LocalDate day) {
        return day == null ? "—" : day.toString();
    }

    public String number(long n) {
        return java.text.NumberFormat.getIntegerInstance(locale).format(n);
    }

    /**
     * The language a browser asked for: the {@code cp_lang} cookie set by the switch, else the first of zh or en in
     * Accept-Language by preference, else English.
     */
    public static Locale choose(String cookie, String acceptLanguage) {
        if ("zh-CN".equals(cookie)) {
            return Messages.CHINESE;
        }
        if ("en".equals(cookie)) {
            return Locale.ENGLISH;
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank() && acceptLanguage.length() < 500) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String r = range.getRange().toLowerCase(Locale.ROOT);
                    if (r.equals("zh") || r.startsWith("zh-")) {
                        return Messages.CHINESE;
                    }
                    if (r.equals("en") || r.startsWith("en-")) {
                        return Locale.ENGLISH;
                    }
                }
            } catch (IllegalArgumentException malformed) {
                // a header no browser sends: English
            }
        }
        return Locale.ENGLISH;
    }
}
