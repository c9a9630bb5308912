package dev.counterpoint.office;

import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.StoredValueKind;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The stores that keep a member's history (table {@code member_store}): the home store, every store that served the
 * member, and any store that asked when the member was first shown there. A member's purchases and ledger entries go
 * to these stores only, so a store holds the history and balances of the members it sees, never the whole chain's
 * (decision 0039). Always keyed by the surviving member of a merge. A push reads each member's stores once.
 */
final class MemberStores {
    private MemberStores() {}

    /** The stores keeping {@code survivor}'s history. */
    static List<String> of(Handle h, UUID survivor) {
        Optional<PushScope> scope = PushScope.of(h);
        return scope.isPresent() ? scope.get().memberStores(survivor) : read(h, survivor);
    }

    private static List<String> read(Handle h, UUID survivor) {
        return new ArrayList<>(h.createQuery("SELECT store_id FROM member_store WHERE member_id = :m ORDER BY store_id")
                .bind("m", survivor).mapTo(String.class).list());
    }

    /**
     * Makes {@code store} keep the member's history. A store new to the member is sent the whole history head office
     * holds, so it decides from the same purchases and balances as every other store. True if the store was new.
     */
    static boolean join(Handle h, FeedWriter feed, UUID survivor, String store, OffsetDateTime now) {
        List<String> stores = of(h, survivor);
        if (stores.contains(store)) {
            return false;
        }
        insert(h, survivor, store, now);
        stores.add(store);
        for (Change c : history(h, survivor)) {
            feed.appendFor(store, c, null);
        }
        return true;
    }

    /**
     * A member head office has just created is kept by its home store. It has no history to send: everything a
     * member's history holds is written only for a member head office knows.
     */
    static void enrolled(Handle h, UUID member, String home, OffsetDateTime now) {
        PushScope.insert(h, INSERT, member, home, now);
        PushScope.of(h).ifPresent(scope -> scope.storesOfNewMember(member, home));
    }

    /** A new purchase or ledger entry, to every store keeping the member's history (the maker's terminal has it). */
    static void send(Handle h, FeedWriter feed, UUID survivor, Change change, TerminalIdentity origin) {
        feed.appendFor(of(h, survivor), change, origin);
    }

    /**
     * Before {@code alias} becomes an alias of {@code survivor}: each side's stores receive the other side's history,
     * and the survivor keeps the stores of both.
     */
    static void merge(Handle h, FeedWriter feed, UUID alias, UUID survivor, OffsetDateTime now) {
        List<String> aliasStores = of(h, alias);
        List<String> survivorStores = of(h, survivor);
        List<Change> aliasHistory = history(h, alias);
        List<Change> survivorHistory = history(h, survivor);
        for (String store : survivorStores) {
            if (!aliasStores.contains(store)) {
                aliasHistory.forEach(c -> feed.appendFor(store, c, null));
            }
        }
        for (String store : aliasStores) {
            if (!survivorStores.contains(store)) {
                survivorHistory.forEach(c -> feed.appendFor(store, c, null));
                insert(h, survivor, store, now);
            }
        }
        h.createUpdate("DELETE FROM member_store WHERE member_id = :a").bind("a", alias).execute();
        PushScope.of(h).ifPresent(scope -> {
            scope.forgetStores(alias);
            scope.forgetStores(survivor);
        });
    }

    /**
     * A merge undone: the alias is kept by every store that keeps the survivor. They all hold its history already,
     * sent to them as part of the pair's.
     */
    static void split(Handle h, UUID alias, UUID survivor, OffsetDateTime now) {
        for (String store : of(h, survivor)) {
            insert(h, alias, store, now);
        }
        PushScope.of(h).ifPresent(scope -> scope.forgetStores(alias));
    }

    private static final String INSERT = "INSERT INTO member_store(member_id, store_id, joined_at) VALUES (?, ?, ?)";

    private static void insert(Handle h, UUID member, String store, OffsetDateTime now) {
        PushScope.insert(h, INSERT, member, store, now);
    }

    /**
     * Every purchase and ledger entry of the member and of the members merged into it, oldest first, then its campaign
     * coupons still to be used and its custom tags.
     */
    static List<Change> history(Handle h, UUID survivor) {
        List<UUID> ids = h.createQuery("SELECT id FROM member WHERE id = :m OR survivor_id = :m ORDER BY id")
                .bind("m", survivor).mapTo(UUID.class).list();
        List<Change> out = new ArrayList<>(purchasesOf(h, ids));
        if (!ids.isEmpty()) {
            out.addAll(h.createQuery("""
                    SELECT id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc FROM points_entry
                    WHERE member_id IN (<members>) ORDER BY hlc, id""")
                    .bindList("members", ids)
                    .map((rs, ctx) -> new Change.PointsEntry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getLong(3), PointsKind.valueOf(rs.getString(4)), rs.getObject(5, LocalDate.class),
                            rs.getObject(6, UUID.class), rs.getObject(7, OffsetDateTime.class), rs.getLong(8))).list());
            out.addAll(h.createQuery("""
                    SELECT id, member_id, delta_fen, kind, ref_id, created_at, hlc FROM sv_entry
                    WHERE member_id IN (<members>) ORDER BY hlc, id""")
                    .bindList("members", ids)
                    .map((rs, ctx) -> new Change.StoredValueEntry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getLong(3), StoredValueKind.valueOf(rs.getString(4)), rs.getObject(5, UUID.class),
                            rs.getObject(6, OffsetDateTime.class), rs.getLong(7))).list());
            // A campaign's coupons go to the member's stores only (decision 0070): a store that joins them gets those
            // still to be used.
            out.addAll(h.createQuery("""
                    SELECT c.id, c.code, c.member_id, c.template_id, c.valid_from, c.valid_until, c.issued_at, c.issued_by
                    FROM coupon c WHERE c.member_id IN (<members>) AND c.campaign_id IS NOT NULL AND c.status = 'ISSUED'
                      AND NOT EXISTS (SELECT 1 FROM coupon_claim k WHERE k.coupon_code = c.code)
                    ORDER BY c.issued_at, c.id""")
                    .bindList("members", ids)
                    .map((rs, ctx) -> new Change.CouponIssued(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getObject(3, UUID.class), rs.getString(4), rs.getObject(5, LocalDate.class),
                            rs.getObject(6, LocalDate.class), rs.getObject(7, OffsetDateTime.class), rs.getString(8))).list());
            // Custom tags go to the member's stores only (decision 0077): a store that joins them gets each tag's state.
            out.addAll(OfficeTags.history(h, ids));
        }
        return out;
    }

    /** Each purchase as {@code purchase.recorded}, followed by a {@code purchase.refunded} when something was taken back. */
    private static List<Change> purchasesOf(Handle h, List<UUID> members) {
        if (members.isEmpty()) {
            return new ArrayList<>();
        }
        record Row(UUID id, UUID member, String store, String terminal, String receipt, OffsetDateTime at, long total,
                   String source, long refunded, boolean voided) {
        }
        Map<UUID, Row> rows = new LinkedHashMap<>();
        Map<UUID, List<Event.Line>> lines = new LinkedHashMap<>();
        h.createQuery("""
                SELECT p.id, p.member_id, p.store_id, p.terminal_id, p.receipt_no, p.purchased_at, p.total_fen, p.source,
                       l.sku, l.category, l.qty, l.amount_fen, p.refunded_fen,\s""" + CheckoutProjection.VOIDED_PURCHASE + """
                FROM purchase p LEFT JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.member_id IN (<members>)
                ORDER BY p.purchased_at, p.id, l.line_no""")
                .bindList("members", members)
                .map((rs, ctx) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    rows.computeIfAbsent(id, k -> {
                        try {
                            return new Row(k, rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
                                    rs.getObject(6, OffsetDateTime.class), rs.getLong(7), rs.getString(8), rs.getLong(13),
                                    rs.getBoolean(14));
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    List<Event.Line> own = lines.computeIfAbsent(id, k -> new ArrayList<>());
                    if (rs.getObject(11) != null) {
                        own.add(new Event.Line(rs.getString(9), rs.getString(10), rs.getInt(11), rs.getLong(12)));
                    }
                    return id;
                }).list();
        List<Change> out = new ArrayList<>(rows.size());
        for (Row r : rows.values()) {
            out.add(new Change.PurchaseRecorded(r.id(), r.member(), r.store(), r.terminal(), r.receipt(), r.at(), r.total(),
                    PurchaseSource.valueOf(r.source()), lines.get(r.id())));
            if (r.refunded() > 0) {
                out.add(new Change.PurchaseRefunded(r.id(), r.member(), r.refunded(), r.voided()));
            }
        }
        return out;
    }

    /** Keeps a purchase's lines beside the purchase. */
    static void insertLines(Handle h, UUID purchase, List<Event.Line> lines) {
        int no = 1;
        for (Event.Line l : lines) {
            // Queued with the push's other rows when a push is applying this (see PushScope).
            PushScope.insert(h, """
                    INSERT INTO purchase_line(purchase_id, line_no, sku, category, qty, amount_fen)
                    VALUES (?, ?, ?, ?, ?, ?)""", purchase, no++, l.sku(), l.category(), l.qty(), l.amountFen());
        }
    }
}
