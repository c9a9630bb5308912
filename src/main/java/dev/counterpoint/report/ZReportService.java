package dev.counterpoint.report;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;

/** Builds the Z-report from the terminal's own rows: what happened at this terminal between local midnights. */
public final class ZReportService {
    private final ZoneId zone;
    private final String storeId;
    private final String terminalId;

    public ZReportService(ZoneId zone, String storeId, String terminalId) {
        this.zone = zone;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    public ZReport build(Handle h, LocalDate day) {
        OffsetDateTime from = day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime to = day.plusDays(1).atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        // A voided checkout did not happen: its purchase, coupon and the like are left out of the day's sales.
        String notVoided = " AND id NOT IN (SELECT c.purchase_id FROM checkout c JOIN refund r ON r.checkout_id = c.id"
                + " WHERE r.kind = 'VOID')";
        String today = " AND purchased_at >= :f AND purchased_at < :u";
        long sales = count(h, "SELECT COUNT(*) FROM purchase WHERE source = 'SALE' AND terminal_id = :t" + today + notVoided, from, to);
        long salesFen = count(h, "SELECT COALESCE(SUM(total_fen), 0) FROM purchase WHERE source = 'SALE' AND terminal_id = :t" + today + notVoided, from, to);
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
        String refundsToday = " FROM refund WHERE terminal_id = :t AND refunded_at >= :f AND refunded_at < :u AND kind = ";
        long voids = count(h, "SELECT COUNT(*)" + refundsToday + "'VOID'", from, to);
        long voidFen = count(h, "SELECT COALESCE(SUM(gross_fen), 0)" + refundsToday + "'VOID'", from, to);
        long refunds = count(h, "SELECT COUNT(*)" + refundsToday + "'REFUND'", from, to);
        long refundFen = count(h, "SELECT COALESCE(SUM(gross_fen), 0)" + refundsToday + "'REFUND'", from, to);
        long refundPayable = count(h, "SELECT COALESCE(SUM(payable_fen), 0)" + refundsToday + "'REFUND'", from, to);
        return new ZReport(day, storeId, terminalId, sales, salesFen, served, newMembers, issued, redeemed, expired,
                coupons, couponFen, svIn, svOut, checkouts, checkoutDiscount, checkoutPoints, checkoutSv, checkoutPayable,
                voids, voidFen, refunds, refundFen, refundPayable, returned, clawed, svReturned);
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
