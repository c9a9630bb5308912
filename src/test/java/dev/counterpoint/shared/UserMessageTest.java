package dev.counterpoint.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/** Messages worded from the bundles, with formats kept between calls. */
class UserMessageTest {
    private static String expected(Locale locale, String key, Object... args) {
        ResourceBundle bundle = Messages.bundle(locale);
        return new MessageFormat(bundle.getString(key), bundle.getLocale()).format(args);
    }

    @Test
    void theSameKeyWithOtherArgumentsAndInAnotherLanguageIsWordedAfresh() {
        // a pattern with a number: its format keeps number symbols of its locale
        String key = "receipt.day.sales";
        assertThat(Messages.bundle(Locale.ENGLISH).getString(key)).contains("{0}");
        assertThat(new UserMessage(key, 1234).format(Locale.ENGLISH)).isEqualTo(expected(Locale.ENGLISH, key, 1234));
        assertThat(new UserMessage(key, 7).format(Locale.ENGLISH)).isEqualTo(expected(Locale.ENGLISH, key, 7));
        assertThat(new UserMessage(key, 7).format(Messages.CHINESE)).isEqualTo(expected(Messages.CHINESE, key, 7))
                .isNotEqualTo(new UserMessage(key, 7).format(Locale.ENGLISH));
        assertThat(new UserMessage(key, 1234).format(Locale.ENGLISH)).isEqualTo(expected(Locale.ENGLISH, key, 1234));
    }

    @Test
    void aMessageInsideAnotherIsWordedWithIt() throws Exception {
        String key = "receipt.day.sales";
        UserMessage inner = new UserMessage(key, 3);
        UserMessage outer = new UserMessage(key, inner);
        assertThat(outer.format(Locale.ENGLISH))
                .isEqualTo(expected(Locale.ENGLISH, key, expected(Locale.ENGLISH, key, 3)));
        // another thread keeps its own formats and words the same
        String[] there = new String[1];
        Thread t = new Thread(() -> there[0] = outer.format(Locale.ENGLISH));
        t.start();
        t.join();
        assertThat(there[0]).isEqualTo(outer.format(Locale.ENGLISH));
    }
}
