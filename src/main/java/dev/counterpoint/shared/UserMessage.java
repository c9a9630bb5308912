package dev.counterpoint.shared;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * Something to tell the user: a resource-bundle key and its arguments, localised where it is shown. An argument that is
 * itself a message (a reason inside a sentence) is localised with it.
 */
public record UserMessage(String key, Object... args) {
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
        return new MessageFormat(bundle.getString(key), bundle.getLocale()).format(shown);
    }

    public String format(Locale locale) {
        return format(Messages.bundle(locale));
    }
}
