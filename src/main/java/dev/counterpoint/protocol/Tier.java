package dev.counterpoint.protocol;

import java.util.Locale;
import java.util.Optional;

/** 普通 / 银卡 / 金卡 / 钻石, lowest first. */
public enum Tier {
    NORMAL, SILVER, GOLD, DIAMOND;

    public static Optional<Tier> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(NORMAL);
        }
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String messageKey() {
        return "tier." + name();
    }
}
