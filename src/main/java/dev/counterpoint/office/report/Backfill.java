package dev.counterpoint.office.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.store.Hlc;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the roll-ups from what head office already holds (purchases, refunds, members, coupons, ledger entries), once:
 * for a database whose events were projected before the roll-ups existed. Runs at start, in one transaction under the
 * feed lock (pushes wait), and marks itself done in office_setting 'report_rollups'; it first empties the roll-ups, so
 * that running it again ({@link #rebuild}) gives the same rows. Differences from roll-ups kept as events arrive are in
 * docs/kpis.md ("Built from the tables").
 */
public final class Backfill {
    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    static final String MARK = "report_rollups";
    /** Facts written per flush: bounded memory whatever the history. */
    private static final int CHUNK = 20_000;
    private static final int FETCH = 5_000;

    private Backfill() {
    }

    /** Builds the roll-ups unless they are built already. Returns whether it built them. */
    public static boolean ensure(Jdbi jdbi, ObjectMapper json, Consumer<Handle> alone) {
        boolean built = jdbi.withHandle(h -> marked(h));
        if (built) {
            return false;
        }
        return jdbi.inTransaction(h -> {
            alone.accept(h);
            if (marked(h)) {
                return false; // another node built them while this one waited
            }
            long started = System.nanoTime();
            build(h, json);
            LOG.info("KPI roll-ups built from the existing tables in {} ms", (System.nanoTime() - started) / 1_000_000);
            return true;
        });
    }

    /** Empties the roll-ups and builds them again from the tables (after a change of business zone). */
    public static void rebuild(Jdbi jdbi, ObjectMapper json, Consumer<Handle> alone) {
        jdbi.useTransaction(h -> {
            alone.accept(h);
            build(h, json);
        });
    }

    private static boolean marked(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM office_setting WHERE name = :n").bind("n", MARK).mapTo(Integer.class)
                .one() > 0;
    }

    private static void build(Handle h, ObjectMapper json) {
        for (String table : new String[] {"report_store_day", "report_store_month", "report_visit", "report_visit_day",
                "report_visit_month", "report_coupon_day", "report_coupon_month", "report_tier_move", "report_tier",
                "report_tier_day", "report_tier_month", "report_tier_move_month"}) {
            h.execute("DELETE FROM " + table);
        }
        Chunked batch = new Chunked(h);
        members(h, batch);
        // Purchases in time order, each counted for the member it stands for today.
        h.createQuery("""
                SELECT p.store_id, COALESCE(m.survivor_id, p.member_id), p.purchased_at, p.total_fen, p.source
                FROM purchase p LEFT JOIN member m ON m.id = p.member_id ORDER BY p.purchased_at, p.id""")
                .setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    batch.get().purchase(rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, OffsetDateTime.class),
                            rs.getLong(4), "SALE".equals(rs.getString(5)));
                    return batch.noted();
                }).forEach(x -> { });
        h.createQuery("SELECT store_id, refunded_at, payload FROM refund ORDER BY refunded_at, id").setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    batch.get().refund(rs.getString(1), rs.getObject(2, OffsetDateTime.class),
                            read(json, rs.getString(3)).path("gross_fen").asLong());
                    return batch.noted();
                }).forEach(x -> { });
        // The issuing store is not kept with a coupon: a store's issues count at the member's home store, head
        // office's in the chain's figures only.
        h.createQuery("""
                SELECT CASE WHEN c.issued_by = :hq THEN NULL ELSE m.home_store END, c.issued_at, c.template_id, c.issued_by
                FROM coupon c JOIN member m ON m.id = c.member_id ORDER BY c.issued_at, c.id""").setFetchSize(FETCH)
                .bind("hq", RollupBatch.HEAD_OFFICE)
                .map((rs, ctx) -> {
                    batch.get().couponIssued(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                            rs.getString(4));
                    return batch.noted();
                }).forEach(x -> { });
        // Redemptions held today (a coupon given back by a refund is no longer there), on the day of their stamp, under
        // the reason their coupon was issued for (the batch looks it up), else the one their event gave.
        h.createQuery("""
                SELECT r.store_id, r.hlc, COALESCE(c.template_id, 'UNKNOWN'), r.discount_fen, i.type, i.payload, r.coupon_code
                FROM coupon_redemption r LEFT JOIN coupon c ON c.code = r.coupon_code
                LEFT JOIN inbox i ON i.event_id = r.event_id ORDER BY r.hlc, r.id""").setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    batch.get().couponRedeemed(rs.getString(1), atOf(rs.getLong(2)), rs.getString(7), rs.getString(3),
                            reason(json, rs.getString(5), rs.getString(6)), rs.getLong(4));
                    return batch.noted();
                }).forEach(x -> { });
        h.createQuery("SELECT store_id, member_id, created_at, kind, delta FROM points_entry ORDER BY created_at, id")
                .setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    batch.get().points(rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, OffsetDateTime.class),
                            PointsKind.valueOf(rs.getString(4)), rs.getLong(5));
                    return batch.noted();
                }).forEach(x -> { });
        h.createQuery("SELECT store_id, member_id, created_at, kind, delta_fen FROM sv_entry ORDER BY created_at, id")
                .setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    batch.get().storedValue(rs.getString(1), rs.getObject(2, UUID.class),
                            rs.getObject(3, OffsetDateTime.class), StoredValueKind.valueOf(rs.getString(4)), rs.getLong(5));
                    return batch.noted();
                }).forEach(x -> { });
        batch.flush();
        h.execute("DELETE FROM office_setting WHERE name = '" + MARK + "'");
        h.createUpdate("INSERT INTO office_setting(name, setting_value) VALUES (:n, :v)").bind("n", MARK)
                .bind("v", "built " + Instant.now()).execute();
    }

    /**
     * Members in id order, each with the yearly reviews that changed their tier: a member joins the distribution at
     * enrolment, each review is counted as a move, and a merged member leaves it at the merge. The tables keep a
     * member's tier today and head office's reviews, not a store's upgrade at a sale: the tier held before the first
     * review is that review's starting tier, a change the reviews do not show counts from the review before it, and
     * the last review's tier becomes today's. So every member ends in the tier the member table holds.
     */
    private static void members(Handle h, Chunked batch) {
        List<Member> current = new ArrayList<>(1);
        h.createQuery("""
                SELECT m.id, m.home_store, m.enrolled_at, m.tier, m.status, x.created_at, r.decided_at, r.from_tier, r.to_tier
                FROM member m
                LEFT JOIN sync_exception x ON x.kind = 'MEMBER_MERGED' AND x.subject = CAST(m.id AS VARCHAR(80))
                LEFT JOIN tier_review r ON r.member_id = m.id AND r.from_tier <> r.to_tier
                ORDER BY m.id, r.decided_at""")
                .setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    if (!current.isEmpty() && !current.get(0).id().equals(id)) {
                        current.remove(0).note(batch.get());
                    }
                    if (current.isEmpty()) {
                        OffsetDateTime enrolled = rs.getObject(3, OffsetDateTime.class);
                        OffsetDateTime mergedAt = "MERGED".equals(rs.getString(5))
                                ? Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).orElse(enrolled) : null;
                        current.add(new Member(id, rs.getString(2), enrolled, Tier.valueOf(rs.getString(4)), mergedAt,
                                new ArrayList<>()));
                    }
                    if (rs.getObject(7) != null) {
                        current.get(0).reviews().add(new Review(rs.getObject(7, OffsetDateTime.class),
                                Tier.valueOf(rs.getString(8)), Tier.valueOf(rs.getString(9))));
                    }
                    return batch.noted();
                }).forEach(x -> { });
        if (!current.isEmpty()) {
            current.remove(0).note(batch.get());
        }
    }

    private record Review(OffsetDateTime at, Tier from, Tier to) {
    }

    /** A member as the tables hold it: today's tier, the merge if any, the reviews that changed the tier, in time order. */
    private record Member(UUID id, String home, OffsetDateTime enrolled, Tier tier, OffsetDateTime mergedAt,
                          List<Review> reviews) {
        void note(RollupBatch batch) {
            Tier held = reviews.isEmpty() ? tier : reviews.get(0).from();
            batch.enrolled(home, enrolled, held);
            for (int i = 0; i < reviews.size(); i++) {
                Review r = reviews.get(i);
                batch.tierShifted(id, r.at(), held, r.from()); // a change no review shows, first
                batch.tierMoved(id, r.at(), r.from(), r.to());
                held = r.to();
                if (i == reviews.size() - 1) {
                    batch.tierShifted(id, r.at(), held, tier);
                    held = tier;
                }
            }
            if (mergedAt != null) {
                batch.merged(id, mergedAt);
            }
        }
    }

    private static OffsetDateTime atOf(long hlc) {
        return Instant.ofEpochMilli(Hlc.millisOf(hlc)).atOffset(ZoneOffset.UTC);
    }

    private static JsonNode read(ObjectMapper json, String payload) {
        try {
            return json.readTree(payload);
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    /** A redemption's reason: in its own event, or in the checkout that carried it. */
    private static String reason(ObjectMapper json, String type, String payload) {
        if (payload == null) {
            return "UNKNOWN";
        }
        JsonNode node = read(json, payload);
        JsonNode reason = "checkout.completed".equals(type) ? node.path("coupon").path("reason") : node.path("reason");
        return reason.isTextual() ? reason.asText() : "UNKNOWN";
    }

    /** A roll-up batch written every {@value #CHUNK} facts. */
    private static final class Chunked {
        private final Handle h;
        private RollupBatch batch = new RollupBatch();
        private int noted;

        Chunked(Handle h) {
            this.h = h;
        }

        RollupBatch get() {
            return batch;
        }

        int noted() {
            if (++noted % CHUNK == 0) {
                flush();
            }
            return noted;
        }

        void flush() {
            batch.flush(h);
            batch = new RollupBatch();
        }
    }
}
