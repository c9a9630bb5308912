package dev.counterpoint.scan;

import dev.counterpoint.shared.UserMessage;
import java.util.Objects;

/**
 * Classifies and validates what a scanner read, before anything is looked up.
 *
 * <p>All-digit reads are retail barcodes and must carry a correct check digit: 13 digits EAN-13,
 * 12 UPC-A, 8 EAN-8. Other digit counts below 14 are taken for a cut-off read ("half code"). Either
 * refusal still names the digits as {@link Rejected#knownCardOnly()}: cards imported from another
 * system carry numbers that follow no barcode rule, and such a card, if it exists, must still scan. Printable ASCII without spaces up to {@link #MAX_CARD_LENGTH} is a
 * Code 128 card number; {@code CP1.} starts a signed member token; anything else printable is a QR
 * payload. Control characters, undecodable bytes and over-long reads are refused. Never throws.
 */
public final class CodeParser {
    /** Longest read accepted at all; a signed member token is about 110 characters. */
    public static final int MAX_LENGTH = 512;
    /** Longest code a member can carry (member_code.code is VARCHAR(64)). */
    public static final int MAX_CARD_LENGTH = 64;
    /** Shortest Code 128 card number; shorter reads are fragments. */
    public static final int MIN_CARD_LENGTH = 4;

    public enum Kind { EAN13, EAN8, UPCA, CODE128, QR, MEMBER_TOKEN }

    /** What came of a read: a code worth acting on, or a refusal to show the cashier. */
    public sealed interface Result permits Accepted, Rejected {
    }

    public record Accepted(Kind kind, String code) implements Result {
        public Accepted {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(code);
        }
    }

    /**
     * @param knownCardOnly digits that break the barcode rules but may still be a card number exactly as
     *                      stored (a legacy card); null when the read is no code at all
     */
    public record Rejected(UserMessage reason, String knownCardOnly) implements Result {
        public Rejected {
            Objects.requireNonNull(reason);
        }

        public Rejected(UserMessage reason) {
            this(reason, null);
        }
    }

    private CodeParser() {}

    public static Result parse(String raw) {
        if (raw == null) {
            return new Rejected(new UserMessage("scan.error.empty"));
        }
        if (raw.length() > MAX_LENGTH) {
            return new Rejected(new UserMessage("scan.error.tooLong", raw.length(), MAX_LENGTH));
        }
        String code = raw.strip();
        if (code.isEmpty()) {
            return new Rejected(new UserMessage("scan.error.empty"));
        }
        if (!printable(code)) {
            return new Rejected(new UserMessage("scan.error.unreadable"));
        }
        if (allDigits(code)) {
            return digits(code);
        }
        if (code.startsWith(MemberQrToken.PREFIX)) {
            return MemberQrToken.wellFormed(code)
                    ? new Accepted(Kind.MEMBER_TOKEN, code)
                    : new Rejected(new UserMessage("scan.qr.malformed"));
        }
        if (code.length() > MAX_CARD_LENGTH) {
            return new Rejected(new UserMessage("scan.error.notMemberCode"));
        }
        if (code.length() < MIN_CARD_LENGTH) {
            return new Rejected(new UserMessage("scan.error.incomplete", code));
        }
        return new Accepted(printableAsciiWithoutSpace(code) ? Kind.CODE128 : Kind.QR, code);
    }

    private static Result digits(String code) {
        return switch (code.length()) {
            case 13 -> checked(Kind.EAN13, code);
            case 12 -> checked(Kind.UPCA, code);
            case 8 -> checked(Kind.EAN8, code);
            default -> code.length() < 14
                    ? new Rejected(new UserMessage("scan.error.incomplete", code),
                            code.length() >= MIN_CARD_LENGTH ? code : null)
                    : code.length() > MAX_CARD_LENGTH
                            ? new Rejected(new UserMessage("scan.error.notMemberCode"))
                            : new Accepted(Kind.CODE128, code);
        };
    }

    private static Result checked(Kind kind, String code) {
        return checkDigitOk(code)
                ? new Accepted(kind, code)
                : new Rejected(new UserMessage("scan.error.checkDigit", code), code);
    }

    /**
     * The GS1 check digit (EAN-13, EAN-8 and UPC-A alike): weights 3 and 1 alternate from the digit
     * just left of the check digit.
     */
    static boolean checkDigitOk(String digits) {
        int n = digits.length();
        int sum = 0;
        for (int i = n - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (digits.charAt(i) - '0') * weight;
        }
        return (10 - sum % 10) % 10 == digits.charAt(n - 1) - '0';
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean printableAsciiWithoutSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** No control, format, private-use, unassigned or lone-surrogate characters, and no U+FFFD from bad bytes. */
    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (cp == 0xFFFD || type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE || type == Character.UNASSIGNED
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
