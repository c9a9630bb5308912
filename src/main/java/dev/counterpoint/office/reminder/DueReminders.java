package dev.counterpoint.office.reminder;

import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.protocol.ConsentChannel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * What is due on a day, from head office's chain-wide tables: members (active, not erased; a merged card's purchases
 * and coupons count for the member it became), their consent for the run's channel, point lots, purchases and coupons.
 * Every member who has something due is returned, with or without consent, so a run can say why it sent nothing.
 * Portable SQL: the same statements run on H2 and PostgreSQL.
 */
final class DueReminders {
    /** Who issues coupons worth a message: the owner ({@code POST /v1/coupons}) and, later, campaigns. */
    static final String HEAD_OFFICE_ISSUER = "head-office";
    static final String CAMPAIGN_ISSUER_PREFIX = "campaign:";
    private static final int CHUNK = 500;
    private static final String RECIPIENT = """
            SELECT m.id, m.card_code, m.display_name, m.phone_hmac, m.phone_masked, m.phone_box, COALESCE(c.granted, FALSE) AS consented""";
    private static final String CONSENT = """
            LEFT JOIN member_consent c ON c.member_id = m.id AND c.channel = :consent""";
    private static final String REACHABLE = "m.status = 'ACTIVE' AND m.erased_at IS NULL";

    private DueReminders() {}

    static List<Due> due(Handle h, LocalDate day, ZoneId zone, ReminderRules rules, ConsentChannel consent) {
        List<Due> out = new ArrayList<>();
        out.addAll(birthdays(h, day, rules.birthdayDays(), consent));
        out.addAll(expiringPoints(h, day, rules.pointsDays(), consent));
        out.addAll(winBacks(h, day, zone, rules.winBackDays(), consent));
        out.addAll(coupons(h, day, zone, rules.couponDays(), consent));
        return out;
    }

    private static Due.Recipient recipient(ResultSet rs) throws SQLException {
        return new Due.Recipient(rs.getObject("id", UUID.class), rs.getString("card_code"), rs.getString("display_name"),
                rs.getString("phone_hmac"), rs.getString("phone_masked"), rs.getString("phone_box"), rs.getBoolean("consented"));
    }

    /** Birthdays from {@code days} before to the day itself; 29 February is on 28 February in common years. */
    static List<Due> birthdays(Handle h, LocalDate day, int days, ConsentChannel consent) {
        Set<Integer> monthDays = new LinkedHashSet<>();
        for (int i = 0; i <= days; i++) {
            LocalDate d = day.plusDays(i);
            monthDays.add(d.getMonthValue() * 100 + d.getDayOfMonth());
            if (d.getMonthValue() == 2 && d.getDayOfMonth() == 28 && !d.isLeapYear()) {
                monthDays.add(229);
            }
        }
        record Row(Due.Recipient to, LocalDate birthday) {
        }
        List<Row> rows = h.createQuery(RECIPIENT + ", m.birthday FROM member m " + CONSENT + " WHERE " + REACHABLE + " " + """
                 AND m.birthday IS NOT NULL
                 AND EXTRACT(MONTH FROM m.birthday) * 100 + EXTRACT(DAY FROM m.birthday) IN (<monthDays>)""")
                .bind("consent", consent.name()).bindList("monthDays", new ArrayList<>(monthDays))
                .map((rs, ctx) -> new Row(recipient(rs), rs.getObject("birthday", LocalDate.class))).list();
        List<Due> out = new ArrayList<>();
        for (Row r : rows) {
            LocalDate next = nextBirthday(r.birthday(), day);
            if (ChronoUnit.DAYS.between(day, next) <= days) {
                out.add(new Due(r.to(), ReminderKind.BIRTHDAY, Integer.toString(next.getYear()), next, new Due.Birthday(next)));
            }
        }
        return out;
    }

    /** The birthday on or after {@code day}, as the counter works it out (coupon.CouponTriggers). */
    static LocalDate nextBirthday(LocalDate birthday, LocalDate day) {
        MonthDay md = MonthDay.from(birthday);
        LocalDate thisYear = md.atYear(day.getYear());
        return thisYear.isBefore(day) ? md.atYear(day.getYear() + 1) : thisYear;
    }

    /**
     * Points whose lot expires from {@code day} to {@code days} later: the first such date, with every point still in
     * a lot expiring then, worked out from the member's whole ledger as the counter does ({@link PointLots}).
     */
    static List<Due> expiringPoints(Handle h, LocalDate day, int days, ConsentChannel consent) {
        Map<UUID, Due.Recipient> members = new java.util.LinkedHashMap<>();
        h.createQuery(RECIPIENT + " FROM member m " + CONSENT + " WHERE " + REACHABLE + " " + """
                 AND EXISTS (SELECT 1 FROM points_entry p WHERE p.member_id = m.id AND p.delta > 0
                             AND p.lot_expires_on >= :from AND p.lot_expires_on <= :until)""")
                .bind("consent", consent.name()).bind("from", day).bind("until", day.plusDays(days))
                .map((rs, ctx) -> recipient(rs)).forEach(r -> members.put(r.memberId(), r));
        List<Due> out = new ArrayList<>();
        List<UUID> ids = new ArrayList<>(members.keySet());
        for (int i = 0; i < ids.size(); i += CHUNK) {
            Map<UUID, List<PointLots.Entry>> ledgers = new HashMap<>();
            h.createQuery("""
                    SELECT member_id, id, delta, lot_expires_on, ref_id FROM points_entry WHERE member_id IN (<ids>)
                    ORDER BY member_id, created_at, id""")
                    .bindList("ids", ids.subList(i, Math.min(ids.size(), i + CHUNK)))
                    .map((rs, ctx) -> Map.entry(rs.getObject("member_id", UUID.class), new PointLots.Entry(
                            rs.getObject("id", UUID.class), rs.getLong("delta"), rs.getObject("lot_expires_on", LocalDate.class),
                            rs.getObject("ref_id", UUID.class))))
                    .forEach(e -> ledgers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            for (UUID id : ids.subList(i, Math.min(ids.size(), i + CHUNK))) {
                PointLots.nextExpiring(PointLots.replay(ledgers.getOrDefault(id, List.of())), day, days)
                        .filter(x -> x.points() > 0)
                        .ifPresent(x -> out.add(new Due(members.get(id), ReminderKind.POINTS_EXPIRING, x.expiresOn().toString(),
                                x.expiresOn(), new Due.PointsExpiring(x.points(), x.expiresOn()))));
            }
        }
        return out;
    }

    /**
     * Members whose last purchase anywhere in the chain (a merged card's included) was {@code days} or more business
     * days before {@code day}; the occasion is that purchase's day, so each absence is reminded of once.
     */
    static List<Due> winBacks(Handle h, LocalDate day, ZoneId zone, int days, ConsentChannel consent) {
        OffsetDateTime end = start(day.plusDays(1), zone);
        OffsetDateTime cutoff = start(day.minusDays(days - 1L), zone);
        return h.createQuery(RECIPIENT + ", v.last_at FROM (" + """
                SELECT COALESCE(a.survivor_id, a.id) AS holder, MAX(p.purchased_at) AS last_at
                FROM purchase p JOIN member a ON a.id = p.member_id
                WHERE p.purchased_at < :end
                GROUP BY COALESCE(a.survivor_id, a.id)) v
                JOIN member m ON m.id = v.holder""" + " " + CONSENT + " WHERE " + REACHABLE + " AND v.last_at < :cutoff")
                .bind("consent", consent.name()).bind("end", end).bind("cutoff", cutoff)
                .map((rs, ctx) -> {
                    LocalDate last = rs.getObject("last_at", OffsetDateTime.class).atZoneSameInstant(zone).toLocalDate();
                    return new Due(recipient(rs), ReminderKind.WIN_BACK, last.toString(), null,
                            new Due.Absent(ChronoUnit.DAYS.between(last, day), last));
                }).list();
    }

    /**
     * Coupons head office issued (not a store's: those are handed over at the counter) in the {@code days} business
     * days up to {@code day}, still issued, unused and valid on {@code day}; due until the earlier of its last valid day
     * and {@code days} after its issue.
     */
    static List<Due> coupons(Handle h, LocalDate day, ZoneId zone, int days, ConsentChannel consent) {
        return h.createQuery(RECIPIENT + " " + """
                , k.code, k.valid_until, k.issued_at, t.name_zh, t.name_en
                FROM coupon k JOIN member a ON a.id = k.member_id JOIN member m ON m.id = COALESCE(a.survivor_id, a.id)
                JOIN coupon_template t ON t.id = k.template_id""" + " " + CONSENT + " WHERE " + REACHABLE + " " + """
                 AND k.status = 'ISSUED' AND (k.issued_by = :issuer OR k.issued_by LIKE :campaigns)
                 AND k.valid_until >= :day AND k.issued_at >= :since AND k.issued_at < :end
                 AND NOT EXISTS (SELECT 1 FROM coupon_claim x WHERE x.coupon_code = k.code)""")
                .bind("consent", consent.name()).bind("issuer", HEAD_OFFICE_ISSUER).bind("campaigns", CAMPAIGN_ISSUER_PREFIX + "%")
                .bind("day", day).bind("since", start(day.minusDays(days), zone)).bind("end", start(day.plusDays(1), zone))
                .map((rs, ctx) -> {
                    LocalDate until = rs.getObject("valid_until", LocalDate.class);
                    LocalDate issued = rs.getObject("issued_at", OffsetDateTime.class).atZoneSameInstant(zone).toLocalDate();
                    LocalDate last = issued.plusDays(days).isBefore(until) ? issued.plusDays(days) : until;
                    String code = rs.getString("code");
                    return new Due(recipient(rs), ReminderKind.COUPON, code, last,
                            new Due.Coupon(code, rs.getString("name_zh"), rs.getString("name_en"), until));
                }).list();
    }

    private static OffsetDateTime start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }
}
