package dev.counterpoint.shared;

import java.util.Locale;
import java.util.ResourceBundle;

/** The UI text bundles: English is the base, Simplified Chinese the first translation. */
public final class Messages {
    public static final String BASE_NAME = "dev.counterpoint.i18n.messages";
    public static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;

    private Messages() {}

    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BASE_NAME, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** "zh" → zh-CN, "en" → English; anything else follows the OS, which falls back to English unless it is Chinese. */
    public static Locale resolve(String lang, Locale os) {
        if (lang != null) {
            return switch (lang.toLowerCase(Locale.ROOT)) {
                case "zh", "zh-cn", "zh_cn" -> CHINESE;
                case "en" -> Locale.ENGLISH;
                default -> throw new IllegalArgumentException("unsupported language: " + lang + " (use zh or en)");
            };
        }
        return "zh".equals(os.getLanguage()) ? CHINESE : Locale.ENGLISH;
    }
}
