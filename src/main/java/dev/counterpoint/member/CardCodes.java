package dev.counterpoint.member;

import java.util.random.RandomGenerator;

/**
 * Member card numbers are EAN-13 in the in-store range (prefix 29), so any barcode scanner reads
 * them and a mistyped digit fails the check digit instead of finding someone else.
 */
public final class CardCodes {
    private CardCodes() {}

    public static String newCardCode(RandomGenerator random) {
        StringBuilder body = new StringBuilder("29");
        for (int i = 0; i < 10; i++) {
            body.append(random.nextInt(10));
        }
        return body.append(checkDigit(body)).toString();
    }

    /** The EAN-13 check digit of the first twelve digits. */
    public static int checkDigit(CharSequence first12) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int d = first12.charAt(i) - '0';
            sum += (i % 2 == 0) ? d : 3 * d;
        }
        return (10 - sum % 10) % 10;
    }

    public static String withCheckDigit(String first12) {
        return first12 + checkDigit(first12);
    }
}
