package dev.counterpoint.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What each line of a checkout carries of its coupon discount, points value, stored value, money paid otherwise,
 * points spent and points earned: shared in proportion to the lines' amounts, in whole fen and whole points, so that
 * each line's money shares add up to its amount and each column adds up to the checkout's figure. A refund of some
 * lines takes back exactly their shares, so refunds in any order and any grouping add up to the checkout. The terminal
 * that refunds and head office that checks the refund compute it with this one class.
 */
public final class CheckoutShares {
    /** One line's shares. */
    public record Share(long amountFen, long discountFen, long pointsValueFen, long storedValueFen, long payableFen,
                        long pointsRedeemed, long pointsEarned) {
    }

    /** The shares of some lines together. */
    public record Total(long grossFen, long discountFen, long pointsValueFen, long storedValueFen, long payableFen,
                        long pointsRedeemed, long pointsEarned) {
    }

    private final List<Share> shares;

    private CheckoutShares(List<Share> shares) {
        this.shares = shares;
    }

    public static CheckoutShares of(Event.CheckoutCompleted c) {
        return of(c.lines().stream().map(Event.Line::amountFen).toList(), c.discountFen(), c.pointsValueFen(),
                c.storedValueFen(), c.pointsRedeemed(), c.pointsEarned());
    }

    /**
     * @param amounts each line's amount (their sum is the gross); the tenders (discount, points value, stored value)
     *                add up to at most the gross, and what is left was paid otherwise
     */
    public static CheckoutShares of(List<Long> amounts, long discountFen, long pointsValueFen, long storedValueFen,
                                    long pointsRedeemed, long pointsEarned) {
        int n = amounts.size();
        long gross = amounts.stream().mapToLong(Long::longValue).sum();
        long[][] money = new long[n][3];
        long[] rest = new long[n];
        long[] tenders = {discountFen, pointsValueFen, storedValueFen};
        for (int i = 0; i < n; i++) {
            rest[i] = amounts.get(i);
        }
        for (int t = 0; t < 3; t++) {
            long[] floor = new long[n];
            BigInteger[] remainder = new BigInteger[n];
            long given = 0;
            for (int i = 0; i < n; i++) {
                BigInteger[] qr = gross == 0 ? new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO}
                        : BigInteger.valueOf(amounts.get(i)).multiply(BigInteger.valueOf(tenders[t]))
                                .divideAndRemainder(BigInteger.valueOf(gross));
                floor[i] = qr[0].longValueExact();
                remainder[i] = qr[1];
                given += floor[i];
            }
            for (int i = 0; i < n; i++) {
                money[i][t] = floor[i];
                rest[i] -= floor[i];
            }
            // What the floors left over goes a fen at a time to the lines with the largest remainder that still have
            // room (a line's shares never exceed its amount), then to any line with room.
            long left = tenders[t] - given;
            boolean[] bumped = new boolean[n];
            while (left > 0) {
                int best = -1;
                for (int i = 0; i < n; i++) {
                    if (rest[i] > 0 && !bumped[i] && (best < 0 || remainder[i].compareTo(remainder[best]) > 0)) {
                        best = i;
                    }
                }
                if (best < 0) {
                    for (int i = 0; i < n && best < 0; i++) {
                        if (rest[i] > 0) {
                            best = i;
                        }
                    }
                    if (best < 0) {
                        throw new IllegalArgumentException("the tenders add up to more than the lines");
                    }
                }
                bumped[best] = true;
                money[best][t]++;
                rest[best]--;
                left--;
            }
        }
        long[] redeemed = whole(amounts, gross, pointsRedeemed);
        long[] earned = whole(amounts, gross, pointsEarned);
        List<Share> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Share(amounts.get(i), money[i][0], money[i][1], money[i][2], rest[i], redeemed[i], earned[i]));
        }
        return new CheckoutShares(List.copyOf(out));
    }

    /** A whole quantity shared by amount: floors, then the largest remainders (first line first on a tie). */
    private static long[] whole(List<Long> amounts, long gross, long total) {
        int n = amounts.size();
        long[] out = new long[n];
        BigInteger[] remainder = new BigInteger[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            BigInteger[] qr = gross == 0 ? new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO}
                    : BigInteger.valueOf(amounts.get(i)).multiply(BigInteger.valueOf(total))
                            .divideAndRemainder(BigInteger.valueOf(gross));
            out[i] = qr[0].longValueExact();
            remainder[i] = qr[1];
            given += out[i];
        }
        boolean[] bumped = new boolean[n];
        for (long left = total - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!bumped[i] && (best < 0 || remainder[i].compareTo(remainder[best]) > 0)) {
                    best = i;
                }
            }
            if (best < 0) {
                best = 0;
            }
            bumped[best] = true;
            out[best]++;
        }
        return out;
    }

    public List<Share> lines() {
        return shares;
    }

    /** The shares of the given lines (numbered from 1). */
    public Total of(Collection<Integer> lineNos) {
        long g = 0, d = 0, p = 0, s = 0, y = 0, r = 0, e = 0;
        for (int no : lineNos) {
            if (no < 1 || no > shares.size()) {
                throw new IllegalArgumentException("no line " + no);
            }
            Share x = shares.get(no - 1);
            g += x.amountFen();
            d += x.discountFen();
            p += x.pointsValueFen();
            s += x.storedValueFen();
            y += x.payableFen();
            r += x.pointsRedeemed();
            e += x.pointsEarned();
        }
        return new Total(g, d, p, s, y, r, e);
    }
}
