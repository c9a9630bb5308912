package dev.counterpoint.shared;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** Something to tell the user: a resource-bundle key and its arguments, localised where it is shown. */
public record UserMessage(String key, Object... args) {
    public String format(ResourceBundle bundle) {
        return new MessageFormat(bundle.getString(key), bundle.getLocale()).format(args);
    }

    public String format(Locale locale) {
        return format(Messages.bundle(locale));
    }
}
