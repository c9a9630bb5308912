package dev.counterpoint.coupon;

import java.util.random.RandomGenerator;

/** Coupon codes a cashier can read aloud: no 0/O or 1/I/L to confuse. */
public final class CouponCodes {
    private static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    private CouponCodes() {}

    public static String newCode(RandomGenerator random) {
        StringBuilder sb = new StringBuilder("CP");
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
