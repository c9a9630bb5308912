package dev.counterpoint.report;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Builds the Z-report from the terminal's own rows: what happened at this terminal between local midnights, and what
 * happened on an earlier day after its close.
 */
public final class ZReportService {
    /**
     * A close of a business day, made at {@code closedAt}; {@code carried}: its report carries what came after earlier
     * closes (a close made before such figures were kept carried nothing).
     */
    public record Close(LocalDate businessDate, OffsetDateTime closedAt, boolean carried) {
    }

    /**
     * This terminal's sales in [:f, :u): a voided checkout did not happen, so its purchase is left out (its coupon and
     * the like are left out by their own queries).
     */
    private static final String SALES = " FROM purchase WHERE source = 'SALE' AND terminal_id = :t"
            + " AND purchased_at >= :f AND purchased_at < :u"
            + " AND id NOT IN (SELECT c.purchase_id FROM checkout c JOIN refund r ON r.checkout_id = c.id WHERE r.kind = 'VOID')";
    /** This terminal's voids or refunds in [:f, :u), of the kind appended. */
    private static final String REFUNDS = " FROM refund WHERE terminal_id = :t AND refunded_at >= :f AND refunded_at < :u"
            + " AND kind = ";

    private final ZoneId zone;
    private final String storeId;
    private final String terminalId;

    public ZReportService(ZoneId zone, String storeId, String terminalId) {
        this.zone = zone;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    /** The day's figures as they stand, without what came after earlier closes. */
    public ZReport build(Handle h, LocalDate day) {
        return build(h, day, null, List.of());
    }

    /**
     * The report of the close of {@code day} made at {@code at}: the day's figures up to and including {@code at}, and
     * for each earlier day of {@code closes} what was recorded after its close and no report counted yet. A close's
     * report counts what came up to its own instant, and the next close of a later day what came after it: each sale,
     * void and refund is on exactly one report.
     */
    public ZReport build(Handle h, LocalDate day, OffsetDateTime at, List<Close> closes) {
        OffsetDateTime from = start(day);
        OffsetDateTime to = start(day.plusDays(1));
        if (at != null && upTo(at).isBefore(to)) {
            to = upTo(at);
        }
        long sales = count(h, "SELECT COUNT(*)" + SALES, from, to);
        long salesFen = count(h, "SELECT COALESCE(SUM(total_fen), 0)" + SALES, from, to);
        long served = count(h, """
                SELECT COUNT(DISTINCT member_id) FROM (
                  SELECT member_id FROM purchase WHERE source = 'SALE' AND terminal_id = :t AND purchased_at >= :f AND purchased_at < :u
                  UNION SELECT member_id FROM coupon_redemption WHERE terminal_id = :t AND redeemed_at >= :f AND redeemed_at < :u) s""", from, to);
        long newMembers = count(h, "SELECT COUNT(*) FROM member WHERE enrolled_via = 'COUNTER' AND home_store = :s AND enrolled_at >= :f AND enrolled_at < :u", from, to);
        // Ledger rows pulled from head office (other stores' entries, merges) are not this terminal's business.
        String local = " AND NOT pulled";
        long issued = count(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE kind = 'EARN' AND created_at >= :f AND created_at < :u" + local, from, to);
        long redeemed = -count(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE kind = 'SPEND' AND created_at >= :f AND created_at < :u" + local, from, to);
        long expired = -count(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE kind = 'EXPIRE' AND created_at >= :f AND created_at < :u" + local, from, to);
        long returned = count(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE kind = 'REVERSE' AND delta > 0 AND created_at >= :f AND created_at < :u" + local, from, to);
        long clawed = -count(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE kind = 'REVERSE' AND delta < 0 AND created_at >= :f AND created_at < :u" + local, from, to);
        String redemptionNotVoided = " AND id NOT IN (SELECT c.redemption_id FROM checkout c JOIN refund r ON r.checkout_id = c.id"
                + " WHERE r.kind = 'VOID' AND c.redemption_id IS NOT NULL)";
        long coupons = count(h, "SELECT COUNT(*) FROM coupon_redemption WHERE terminal_id = :t AND redeemed_at >= :f AND redeemed_at < :u" + redemptionNotVoided, from, to);
        long couponFen = count(h, "SELECT COALESCE(SUM(discount_fen), 0) FROM coupon_redemption WHERE terminal_id = :t AND redeemed_at >= :f AND redeemed_at < :u" + redemptionNotVoided, from, to);
        long svIn = count(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE kind = 'TOPUP' AND created_at >= :f AND created_at < :u" + local, from, to);
        long svOut = -count(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE kind = 'PAY' AND created_at >= :f AND created_at < :u" + local, from, to);
        long svReturned = count(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE kind = 'REVERSE' AND delta_fen > 0 AND created_at >= :f AND created_at < :u" + local, from, to);
        String checkoutsToday = " FROM checkout WHERE terminal_id = :t AND NOT remote AND completed_at >= :f AND completed_at < :u"
                + " AND id NOT IN (SELECT checkout_id FROM refund WHERE kind = 'VOID')";
        long checkouts = count(h, "SELECT COUNT(*)" + checkoutsToday, from, to);
        long checkoutDiscount = count(h, "SELECT COALESCE(SUM(discount_fen), 0)" + checkoutsToday, from, to);
        long checkoutPoints = count(h, "SELECT COALESCE(SUM(points_value_fen), 0)" + checkoutsToday, from, to);
        long checkoutSv = count(h, "SELECT COALESCE(SUM(stored_value_fen), 0)" + checkoutsToday, from, to);
        long checkoutPayable = count(h, "SELECT COALESCE(SUM(payable_fen), 0)" + checkoutsToday, from, to);
        long voids = count(h, "SELECT COUNT(*)" + REFUNDS + "'VOID'", from, to);
        long voidFen = count(h, "SELECT COALESCE(SUM(gross_fen), 0)" + REFUNDS + "'VOID'", from, to);
        long refunds = count(h, "SELECT COUNT(*)" + REFUNDS + "'REFUND'", from, to);
        long refundFen = count(h, "SELECT COALESCE(SUM(gross_fen), 0)" + REFUNDS + "'REFUND'", from, to);
        long refundPayable = count(h, "SELECT COALESCE(SUM(payable_fen), 0)" + REFUNDS + "'REFUND'", from, to);
        return new ZReport(day, storeId, terminalId, sales, salesFen, served, newMembers, issued, redeemed, expired,
                coupons, couponFen, svIn, svOut, checkouts, checkoutDiscount, checkoutPoints, checkoutSv, checkoutPayable,
                voids, voidFen, refunds, refundFen, refundPayable, returned, clawed, svReturned,
                at == null ? List.of() : afterCloses(h, day, at, closes));
    }

    /**
     * For each day closed before {@code day}: what came after its close (within that day) and after the last close of a
     * later day that carried it, up to {@code at}. A day closed after its own midnight, or carried since by a close made
     * after its midnight, has nothing left.
     */
    private List<ZReport.AfterClose> afterCloses(Handle h, LocalDate day, OffsetDateTime at, List<Close> closes) {
        // A day closed more than once (possible before closes were taken one at a time) ended with its first close.
        Map<LocalDate, OffsetDateTime> firstClose = new TreeMap<>();
        for (Close c : closes) {
            firstClose.merge(c.businessDate(), c.closedAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        List<Close> carriers = closes.stream().filter(Close::carried)
                .sorted(Comparator.comparing(Close::closedAt)).toList();
        List<ZReport.AfterClose> out = new ArrayList<>();
        for (Map.Entry<LocalDate, OffsetDateTime> closed : firstClose.entrySet()) {
            LocalDate d = closed.getKey();
            if (!d.isBefore(day)) {
                break;
            }
            OffsetDateTime dayEnd = start(d.plusDays(1));
            OffsetDateTime after = closed.getValue();
            for (Close c : carriers) {
                if (!after.isBefore(dayEnd)) {
                    break;
                }
                if (c.businessDate().isAfter(d) && c.closedAt().isAfter(after)) {
                    after = c.closedAt();
                }
            }
            OffsetDateTime until = upTo(at).isBefore(dayEnd) ? upTo(at) : dayEnd;
            if (!after.isBefore(until)) {
                continue;
            }
            OffsetDateTime from = upTo(after).isAfter(start(d)) ? upTo(after) : start(d);
            ZReport.AfterClose late = afterClose(h, d, from, until);
            if (late.any()) {
                out.add(late);
            }
        }
        return out;
    }

    /** Sales (a voided checkout left out), voids and refunds of this terminal recorded in [from, to). */
    private ZReport.AfterClose afterClose(Handle h, LocalDate d, OffsetDateTime from, OffsetDateTime to) {
        return new ZReport.AfterClose(d, count(h, "SELECT COUNT(*)" + SALES, from, to),
                count(h, "SELECT COALESCE(SUM(total_fen), 0)" + SALES, from, to),
                count(h, "SELECT COUNT(*)" + REFUNDS + "'VOID'", from, to),
                count(h, "SELECT COALESCE(SUM(gross_fen), 0)" + REFUNDS + "'VOID'", from, to),
                count(h, "SELECT COUNT(*)" + REFUNDS + "'REFUND'", from, to),
                count(h, "SELECT COALESCE(SUM(gross_fen), 0)" + REFUNDS + "'REFUND'", from, to));
    }

    private OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * The end of a span that takes in the instant {@code at}: rows are stamped to whole microseconds, so a row written at
     * the close's own instant (a test's clock that stands still) is counted with the close, not after it.
     */
    private static OffsetDateTime upTo(OffsetDateTime at) {
        return at.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
    }

    private long count(Handle h, String sql, OffsetDateTime from, OffsetDateTime to) {
        var q = h.createQuery(sql).bind("f", from).bind("u", to);
        if (sql.contains(":t")) {
            q.bind("t", terminalId);
        }
        if (sql.contains(":s")) {
            q.bind("s", storeId);
        }
        return q.mapTo(Long.class).one();
    }
}
