package dev.counterpoint.shared;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.WeakHashMap;

/**
 * Something to tell the user: a resource-bundle key and its arguments, localised where it is shown. An argument that is
 * itself a message (a reason inside a sentence) is localised with it.
 */
public record UserMessage(String key, Object... args) {
    /**
     * Each thread's formats by bundle and key, made once: a format made anew parses its pattern and looks up its
     * locale's number symbols (kilobytes of garbage each time), and the counter words its message line and receipt
     * lines so in every sale, on the FX, database and receipts threads. A format is not safe to share between threads.
     */
    private static final ThreadLocal<Map<ResourceBundle, Map<String, MessageFormat>>> FORMATS =
            ThreadLocal.withInitial(WeakHashMap::new);

    public String format(ResourceBundle bundle) {
        Object[] shown = args;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof UserMessage inner) {
                if (shown == args) {
                    shown = args.clone();
                }
                shown[i] = inner.format(bundle);
            }
        }
        // the arguments are formatted first, so a message inside another never finds its format in use
        MessageFormat format = FORMATS.get().computeIfAbsent(bundle, b -> new HashMap<>())
                .computeIfAbsent(key, k -> new MessageFormat(bundle.getString(k), bundle.getLocale()));
        return format.format(shown);
    }

    public String format(Locale locale) {
        return format(Messages.bundle(locale));
    }
}
