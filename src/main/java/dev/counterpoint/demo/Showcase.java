package dev.counterpoint.demo;

/**
 * The demo members a cashier can scan to see each part of the counter at work. Their cards are
 * fixed and easy to type; what they show is planned relative to today, so it holds on any day.
 */
public enum Showcase {
    /** Birthday in two days: a BIRTHDAY suggestion. */
    BIRTHDAY(1),
    /** Came every week until 45 days ago: WIN_BACK ("not seen for 45 days") and still tagged REGULAR. */
    WIN_BACK(2),
    /** Enrolled at the counter two days ago, nothing bought yet: WELCOME, tagged NEW. */
    WELCOME(3),
    /** Diamond regular with plenty of points and stored value and a wallet coupon expiring in two days. */
    VIP(4),
    /** Holds an expired coupon and has used another: no suggestions, and redeeming either is refused. */
    REFUSALS(5),
    /** Came every ten days until 150 days ago: WIN_BACK and tagged DORMANT. */
    DORMANT(6);

    /** VIP's Gold 10% coupon, valid until the day after tomorrow. */
    public static final String VIP_COUPON = DemoIdentities.showcaseCoupon("PERK44");
    /** VIP's previous month's Gold 10% coupon, used. */
    public static final String VIP_USED_COUPON = DemoIdentities.showcaseCoupon("PERK43");
    /** REFUSALS' come-back coupon, expired 11 days ago and still in the wallet. */
    public static final String EXPIRED_COUPON = DemoIdentities.showcaseCoupon("EXPD55");
    /** REFUSALS' birthday coupon, used on her birthday. */
    public static final String USED_COUPON = DemoIdentities.showcaseCoupon("USED55");

    private final int number;

    Showcase(int number) {
        this.number = number;
    }

    public String cardCode() {
        return DemoIdentities.showcaseCard(number);
    }

    int number() {
        return number;
    }

    public String messageKey() {
        return "demo.showcase." + name();
    }
}
