package dev.counterpoint.demo;

import dev.counterpoint.member.CardCodes;
import java.math.BigInteger;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;

/**
 * Names, phone numbers and codes for demo members. Codes and numbers come from a bijection of the
 * member's index, so they are unique without remembering the ones already given out (which keeps
 * memory flat when the generator is scaled up) and stay clear of the showcase members' reserved range.
 */
final class DemoIdentities {
    /** Card bodies, phone tails and coupon serials below this are reserved for the showcase members. */
    static final long RESERVED = 1000;

    /** Surnames with their share per ten thousand people (national census order: 王 李 张 刘 陈 …). */
    private static final String[] SURNAMES = {
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
        "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "肖", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕"};
    private static final int[] SURNAME_WEIGHTS = {
        710, 700, 670, 540, 450, 310, 230, 220, 210, 200, 170, 150, 130, 130, 120, 120, 120, 110, 110, 90,
        80, 70, 70, 60, 60, 60, 60, 50, 50, 50, 50, 50, 50, 50, 50, 40, 40, 40, 40, 40};
    private static final String GIVEN =
            "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏辉俊欣怡婷雪浩宇轩涵梓萱晨思雨佳琪嘉文博诺宁"
            + "子一可馨悦瑶琳颖昊然泽睿航晓建国志海林峰春梅兰凤云飞鑫阳晶倩慧";

    /** Real mainland mobile prefixes (China Mobile, Unicom, Telecom). */
    private static final String[] PHONE_PREFIXES = {
        "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "178", "182", "183",
        "187", "188", "198", "130", "131", "132", "155", "156", "166", "176", "185", "186", "133", "153", "173", "177",
        "180", "181", "189", "199"};

    private static final long CARD_SPACE = 10_000_000_000L;
    private static final long CARD_MULTIPLIER = 7_919_000_003L; // coprime with 10: a bijection on the card space
    private static final long PHONE_SPACE = 100_000_000L;
    private static final long PHONE_MULTIPLIER = 48_271_003L; // coprime with 10 as well
    private static final String COUPON_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final long COUPON_SPACE = pow(COUPON_ALPHABET.length(), 10);
    private static final long COUPON_MULTIPLIER = 1_000_000_007L; // prime, not 31: a bijection on the coupon space
    private static final String SHOWCASE_COUPON_PREFIX = "DEMX";

    private DemoIdentities() {}

    static String name(RandomGenerator r) {
        String surname = SURNAMES[DemoCatalog.weighted(SURNAME_WEIGHTS, r)];
        int length = r.nextInt(100) < 30 ? 1 : 2;
        StringBuilder sb = new StringBuilder(surname);
        for (int i = 0; i < length; i++) {
            sb.append(GIVEN.charAt(r.nextInt(GIVEN.length())));
        }
        return sb.toString();
    }

    /** The showcase members' cards: 29, then 000000000n, then the check digit; easy to type at the counter. */
    static String showcaseCard(int n) {
        return CardCodes.withCheckDigit("29" + digits(n, 10));
    }

    /** {@code n} (not negative) in at least {@code width} digits, zeros in front; String.format was a fifth of planning a member. */
    static String digits(long n, int width) {
        String d = Long.toString(n);
        return d.length() >= width ? d : "0".repeat(width - d.length()) + d;
    }

    /** A unique in-store EAN-13 for member {@code index} (0 ≤ index < 10⁹). */
    static String card(long index) {
        long body = mix(index, CARD_MULTIPLIER, 3_141_592_653L, CARD_SPACE, 1_000_000_000L, v -> v < RESERVED);
        return CardCodes.withCheckDigit("29" + digits(body, 10));
    }

    /** A unique mainland mobile number for member {@code index} (0 ≤ index < 10⁷): the last eight digits alone are unique. */
    static String phone(long index, RandomGenerator r) {
        long tail = mix(index, PHONE_MULTIPLIER, 27_182_818L, PHONE_SPACE, 10_000_000L, v -> v < RESERVED);
        return PHONE_PREFIXES[r.nextInt(PHONE_PREFIXES.length)] + digits(tail, 8);
    }

    /** 138 0000 000n: its tail is in the reserved range, so no generated member has it. */
    static String showcasePhone(int n) {
        return "138" + digits(n, 8);
    }

    /** A unique coupon code for the {@code k}-th coupon (k < 64) of member {@code index}, never in the showcase's CPDEMX range. */
    static String couponCode(long index, int k) {
        if (k < 0 || k >= 64) {
            throw new IllegalArgumentException("at most 64 coupons per member: " + k);
        }
        long serial = mix(index * 64 + k, COUPON_MULTIPLIER, 123_456_789_012L, COUPON_SPACE, 1_000_000_000_000L,
                v -> encode(v).startsWith(SHOWCASE_COUPON_PREFIX));
        return "CP" + encode(serial);
    }

    static String showcaseCoupon(String suffix) {
        return "CP" + SHOWCASE_COUPON_PREFIX + suffix;
    }

    private static String encode(long serial) {
        char[] out = new char[10];
        long v = serial;
        for (int i = 9; i >= 0; i--) {
            out[i] = COUPON_ALPHABET.charAt((int) (v % COUPON_ALPHABET.length()));
            v /= COUPON_ALPHABET.length();
        }
        return new String(out);
    }

    /**
     * (index × a + b) mod space, for index below {@code domain}; a value the predicate reserves is
     * replaced by the one for index + domain (then + 2·domain …), which no other index reaches.
     */
    private static long mix(long index, long a, long b, long space, long domain, LongPredicate reserved) {
        if (index < 0 || index >= domain) {
            throw new IllegalArgumentException("demo index out of range: " + index);
        }
        for (long k = index; ; k += domain) {
            long v = (mulMod(k, a, space) + b) % space;
            if (!reserved.test(v)) {
                return v;
            }
        }
    }

    private static long mulMod(long x, long y, long m) {
        return BigInteger.valueOf(x).multiply(BigInteger.valueOf(y)).mod(BigInteger.valueOf(m)).longValueExact();
    }

    private static long pow(long base, int exp) {
        long v = 1;
        for (int i = 0; i < exp; i++) {
            v *= base;
        }
        return v;
    }
}
