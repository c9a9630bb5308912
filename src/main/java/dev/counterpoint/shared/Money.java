package dev.counterpoint.shared;

import java.math.BigDecimal;
import java.util.Optional;

/** Money is integer fen everywhere; this is the one place it meets text. */
public final class Money {
    private static final long MAX_FEN = 100_000_000_00L; // ¥100 million: far above any counter amount

    private Money() {}

    /** 1234 → "¥12.34", 280000 → "¥2,800.00", -50 → "-¥0.50". Grouped like the points beside it. */
    public static String format(long fen) {
        // by hand: String.format was a seventh of the FX thread's work in showing a scanned member
        String yuan = Long.toString(Math.abs(fen / 100));
        int cents = (int) Math.abs(fen % 100);
        StringBuilder b = new StringBuilder(yuan.length() + yuan.length() / 3 + 5);
        if (fen < 0) {
            b.append('-');
        }
        b.append('¥');
        int group = yuan.length() % 3 == 0 ? 3 : yuan.length() % 3;
        b.append(yuan, 0, group);
        for (int i = group; i < yuan.length(); i += 3) {
            b.append(',').append(yuan, i, i + 3);
        }
        return b.append('.').append((char) ('0' + cents / 10)).append((char) ('0' + cents % 10)).toString();
    }

    /** "12.3", "¥12.30", "12" → fen; empty for anything else, negative, more than two decimals, or absurdly large. */
    public static Optional<Long> parseYuan(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().replace("¥", "").replace("￥", "").replace(",", "");
        if (!t.matches("\\d{1,12}(\\.\\d{1,2})?")) {
            return Optional.empty();
        }
        long fen = new BigDecimal(t).movePointRight(2).longValueExact();
        return fen <= MAX_FEN ? Optional.of(fen) : Optional.empty();
    }
}
