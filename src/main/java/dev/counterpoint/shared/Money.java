package dev.counterpoint.shared;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/** Money is integer fen everywhere; this is the one place it meets text. */
public final class Money {
    private static final long MAX_FEN = 100_000_000_00L; // ¥100 million: far above any counter amount

    private Money() {}

    /** 1234 → "¥12.34", 280000 → "¥2,800.00", -50 → "-¥0.50". Grouped like the points beside it. */
    public static String format(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        return String.format(Locale.ROOT, "%s¥%,d.%02d", sign, abs / 100, abs % 100);
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
