package dev.counterpoint.office.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports as the report API writes them (docs/api.md): snake_case names, money in fen, rates as decimals. */
public final class ReportJson {
    private ReportJson() {
    }

    public static Map<String, Object> of(Reports.Report r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", r.from().toString());
        out.put("to", r.to().toString());
        out.put("stores", r.stores().stream().map(f -> figures(f, true)).toList());
        r.chain().ifPresent(c -> out.put("chain", figures(c, false)));
        return out;
    }

    public static Map<String, Object> of(Reports.Today t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("on_day", t.day().toString());
        out.put("stores", t.stores().stream().map(f -> day(f, true)).toList());
        t.chain().ifPresent(c -> out.put("chain", day(c, false)));
        return out;
    }

    private static Map<String, Object> figures(Reports.Figures f, boolean store) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (store) {
            m.put("store_id", f.storeId());
        }
        m.put("purchases", f.purchases());
        m.put("amount_fen", f.amountFen());
        m.put("members", f.members());
        m.put("repeat_members", f.repeatMembers());
        m.put("new_members", f.newMembers());
        m.put("coupons_redeemed", f.couponsRedeemed());
        m.put("discount_fen", f.discountFen());
        m.put("points_issued", f.pointsIssued());
        m.put("points_redeemed", f.pointsRedeemed());
        m.put("stored_value_in_fen", f.storedValueInFen());
        m.put("stored_value_out_fen", f.storedValueOutFen());
        m.put("sales", f.sales());
        m.put("sales_fen", f.salesFen());
        m.put("refunds", f.refunds());
        m.put("refunded_fen", f.refundedFen());
        m.put("average_ticket_fen", f.averageTicketFen());
        m.put("repurchase_rate", rate(f.repurchaseRate()));
        m.put("returning_members", f.returningMembers());
        m.put("first_time_buyers", f.firstTimeBuyers());
        m.put("active_members_30d", f.activeMembers30d());
        m.put("active_members_90d", f.activeMembers90d());
        m.put("churn_risk_members", f.churnRiskMembers());
        m.put("dormant_members", f.dormantMembers());
        m.put("coupons_issued", f.couponsIssued());
        m.put("points_expired", f.pointsExpired());
        m.put("stored_value_bonus_fen", f.storedValueBonusFen());
        m.put("points_liability", f.pointsLiability());
        m.put("points_liability_fen", f.pointsLiabilityFen());
        m.put("stored_value_liability_fen", f.storedValueLiabilityFen());
        Map<String, Object> tiers = new LinkedHashMap<>();
        f.tiers().forEach((t, n) -> tiers.put(t.name(), n));
        m.put("tiers", tiers);
        m.put("tier_moves", f.tierMoves().stream().map(t -> {
            Map<String, Object> move = new LinkedHashMap<>();
            move.put("from", t.from().name());
            move.put("to", t.to().name());
            move.put("members", t.members());
            move.put("upgrade", t.upgrade());
            return move;
        }).toList());
        m.put("tier_upgrades", f.tierUpgrades());
        m.put("tier_downgrades", f.tierDowngrades());
        m.put("redemption_rate", rate(f.redemptionRate()));
        m.put("coupons_by_template", coupons(f.couponTemplates(), "template_id"));
        m.put("coupons_by_reason", coupons(f.couponReasons(), "reason"));
        return m;
    }

    private static List<Map<String, Object>> coupons(List<Reports.CouponLine> lines, String key) {
        return lines.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(key, c.key());
            m.put("issued", c.issued());
            m.put("redeemed", c.redeemed());
            m.put("discount_fen", c.discountFen());
            m.put("redemption_rate", rate(c.redemptionRate()));
            return m;
        }).toList();
    }

    private static Map<String, Object> day(Reports.DayFigures f, boolean store) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (store) {
            m.put("store_id", f.storeId());
        }
        m.put("sales", f.sales());
        m.put("sales_fen", f.salesFen());
        m.put("refunds", f.refunds());
        m.put("refunded_fen", f.refundedFen());
        m.put("members_served", f.membersServed());
        m.put("new_members", f.newMembers());
        m.put("coupons_redeemed", f.couponsRedeemed());
        m.put("discount_fen", f.discountFen());
        m.put("points_issued", f.pointsIssued());
        m.put("points_redeemed", f.pointsRedeemed());
        m.put("stored_value_in_fen", f.storedValueInFen());
        m.put("stored_value_out_fen", f.storedValueOutFen());
        return m;
    }

    /** A rate to four decimals. */
    private static BigDecimal rate(double r) {
        return BigDecimal.valueOf(r).setScale(4, RoundingMode.HALF_UP);
    }
}
