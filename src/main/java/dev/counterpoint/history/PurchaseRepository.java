package dev.counterpoint.history;

import dev.counterpoint.protocol.PurchaseSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

public final class PurchaseRepository {
    /**
     * The member bound as {@code :member} and every member merged into it (one person's purchases), as a derived table
     * {@code who(member_id)} to join purchases to. Not {@code member_id IN (…)}: H2 evaluates an IN over this union row
     * by row, reading every purchase in the time range (0.5–3 s a scan at 100,000 members); joined, it looks each id up
     * in {@code purchase_member_time}.
     */
    public static final String MEMBER_AND_ALIASES = "(SELECT CAST(:member AS UUID) AS member_id UNION ALL "
            + "SELECT alias_id FROM member_alias WHERE survivor_id = :member) who ";

    /**
     * {@link #allTime}'s count as a column of a statement that reads the member row {@code m}: the member's purchases
     * and those of the members merged into it (two look-ups by {@code purchase_member_time}).
     */
    // H2 would count from the narrower foreign-key index, a second page read beside the last purchase's.
    public static final String VISITS_OF_MEMBER = "((SELECT COUNT(*) FROM purchase USE INDEX (purchase_member_time)"
            + " WHERE member_id = m.id)"
            + " + (SELECT COUNT(*) FROM member_alias a JOIN purchase p ON p.member_id = a.alias_id WHERE a.survivor_id = m.id))";

    private static final String LAST_OWN = "(SELECT MAX(purchased_at) FROM purchase WHERE member_id = m.id)";
    private static final String LAST_MERGED = "(SELECT MAX(p.purchased_at) FROM member_alias a"
            + " JOIN purchase p ON p.member_id = a.alias_id WHERE a.survivor_id = m.id)";

    /**
     * {@link #allTime}'s last purchase as such a column: the later of the member's and its merged members', or null
     * (COALESCE gives the one that is there when GREATEST meets a null).
     */
    public static final String LAST_PURCHASE_OF_MEMBER = "COALESCE(GREATEST(" + LAST_OWN + ", " + LAST_MERGED + "), "
            + LAST_OWN + ", " + LAST_MERGED + ")";

    /**
     * What names a purchase line, read with it: a LEFT JOIN on the line's SKU (the line is {@code l}) and its columns,
     * kept by the repository of the table it reads (the catalogue's).
     */
    public interface LineNames<N> {
        String join();

        String columns();

        /** The name in the row, its columns from {@code first} on; null when there is none. */
        N read(java.sql.ResultSet rs, int first) throws java.sql.SQLException;
    }

    /** Where {@link #since(Handle, UUID, OffsetDateTime, LineNames, Rows)} hands each row, once, as it is read. */
    public interface Rows<N> {
        /**
         * A purchase, newest first; the lines that follow are its own, in order. {@code refundedFen}: what was taken
         * back of it; {@code voided}: taken back whole by a void.
         */
        void purchase(UUID id, String storeId, String receiptNo, OffsetDateTime purchasedAt, long totalFen,
                      PurchaseSource source, long refundedFen, boolean voided);

        /** One line of the last purchase, with its name (null when none). */
        void line(String sku, String category, int qty, long amountFen, N name);
    }

    /**
     * As {@link #since(Handle, UUID, OffsetDateTime)}, in one statement with the lines' names and without a list: each
     * purchase and each line goes to {@code rows} as it is read, and the caller keeps what it needs of them (the panel
     * keeps the purchases it shows and only tallies the rest of the year). Each purchase comes with what was taken back
     * of it and whether that was a void.
     */
    public <N> void since(Handle h, UUID memberId, OffsetDateTime since, LineNames<N> names, Rows<N> rows) {
        h.createQuery("SELECT p.id, p.store_id, p.receipt_no, p.purchased_at, p.total_fen, p.source, l.sku, l.category,"
                        + " l.qty, l.amount_fen, p.refunded_fen, p.voided, " + names.columns() + " FROM "
                        + MEMBER_AND_ALIASES
                        + "JOIN purchase p ON p.member_id = who.member_id LEFT JOIN purchase_line l ON l.purchase_id = p.id "
                        + names.join() + " WHERE p.purchased_at >= :since ORDER BY p.purchased_at DESC, p.id, l.line_no")
                .bind("member", memberId).bind("since", since.withOffsetSameInstant(ZoneOffset.UTC))
                .scanResultSet((supplier, ctx) -> {
                    java.sql.ResultSet rs = supplier.get();
                    UUID current = null;
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        if (!id.equals(current)) {
                            current = id;
                            rows.purchase(id, rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                                    rs.getLong(5), PurchaseSource.valueOf(rs.getString(6)), rs.getLong(11),
                                    rs.getBoolean(12));
                        }
                        int qty = rs.getInt(9);
                        if (!rs.wasNull()) {
                            rows.line(rs.getString(7), rs.getString(8), qty, rs.getLong(10), names.read(rs, 13));
                        }
                    }
                    return null;
                });
    }

    /** The member's (and its merged members') last purchase before {@code before} that a void did not take back. */
    public Optional<OffsetDateTime> lastBefore(Handle h, UUID memberId, OffsetDateTime before) {
        return h.createQuery("SELECT p.purchased_at FROM " + MEMBER_AND_ALIASES
                        + "JOIN purchase p ON p.member_id = who.member_id WHERE p.purchased_at < :before AND NOT p.voided"
                        + " ORDER BY p.purchased_at DESC LIMIT 1")
                .bind("member", memberId).bind("before", before.withOffsetSameInstant(ZoneOffset.UTC))
                .mapTo(OffsetDateTime.class).findOne();
    }

    /** A refund's share taken off the purchase; a void takes it back whole. */
    public void refunded(Handle h, UUID purchaseId, long grossFen, boolean voided) {
        h.createUpdate("UPDATE purchase SET refunded_fen = refunded_fen + :g, voided = voided OR :v WHERE id = :p")
                .bind("g", grossFen).bind("v", voided).bind("p", purchaseId).execute();
    }

    /**
     * What head office holds as taken back of a purchase held here (decision 0094), which stands for every refund made
     * of it anywhere, this terminal's pushed ones included.
     */
    public void refundedAsHeld(Handle h, UUID purchaseId, long refundedFen, boolean voided) {
        h.createUpdate("UPDATE purchase SET refunded_fen = :r, voided = voided OR :v WHERE id = :p")
                .bind("r", refundedFen).bind("v", voided).bind("p", purchaseId).execute();
    }

    /** The purchase's total, if it is held here. */
    public Optional<Long> totalOf(Handle h, UUID purchaseId) {
        return h.createQuery("SELECT total_fen FROM purchase WHERE id = :id").bind("id", purchaseId).mapTo(Long.class)
                .findOne();
    }

    /** Whether the purchase is held here (made here, imported, or pulled from head office). */
    public boolean exists(Handle h, UUID purchaseId) {
        return h.createQuery("SELECT COUNT(*) FROM purchase WHERE id = :id").bind("id", purchaseId).mapTo(Integer.class).one() > 0;
    }

    /** Writes a purchase and its lines; {@code terminalId} is the terminal that made it (null if unknown). */
    public void insert(Handle h, Purchase p, String terminalId) {
        h.createUpdate("""
                INSERT INTO purchase(id, member_id, receipt_no, purchased_at, total_fen, source, store_id, terminal_id)
                VALUES (:id, :member, :receipt, :at, :total, :source, :store, :terminal)""")
                .bind("id", p.id()).bind("member", p.memberId()).bind("receipt", p.receiptNo())
                .bind("at", p.purchasedAt().withOffsetSameInstant(ZoneOffset.UTC)).bind("total", p.totalFen())
                .bind("source", p.source().name()).bind("store", p.storeId()).bind("terminal", terminalId)
                .execute();
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO purchase_line(purchase_id, line_no, sku, category, qty, amount_fen)
                VALUES (:purchase, :no, :sku, :category, :qty, :amount)""");
        int no = 1;
        for (PurchaseLine line : p.lines()) {
            batch.bind("purchase", p.id()).bind("no", no++).bind("sku", line.sku()).bind("category", line.category())
                    .bind("qty", line.qty()).bind("amount", line.amountFen()).add();
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    /** A purchase's lines in order (none once its member was erased: the receipt then shows the amounts only). */
    public List<PurchaseLine> lines(Handle h, UUID purchaseId) {
        return h.createQuery("SELECT sku, category, qty, amount_fen FROM purchase_line WHERE purchase_id = :p ORDER BY line_no")
                .bind("p", purchaseId)
                .map((rs, ctx) -> new PurchaseLine(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)))
                .list();
    }

    /**
     * The purchases made by the member, or by a member merged into it, since the given time, newest first, each with
     * its lines and store.
     */
    public List<Purchase> since(Handle h, UUID memberId, OffsetDateTime since) {
        Map<UUID, Purchase> byId = new LinkedHashMap<>();
        h.createQuery("""
                SELECT p.id, p.store_id, p.receipt_no, p.purchased_at, p.total_fen, p.source, l.sku, l.category, l.qty,
                       l.amount_fen
                FROM """ + MEMBER_AND_ALIASES + """
                JOIN purchase p ON p.member_id = who.member_id LEFT JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.purchased_at >= :since
                ORDER BY p.purchased_at DESC, p.id, l.line_no""")
                .bind("member", memberId).bind("since", since.withOffsetSameInstant(ZoneOffset.UTC))
                .map((rs, ctx) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    Purchase p = byId.computeIfAbsent(id, k -> {
                        try {
                            return new Purchase(k, memberId, rs.getString("store_id"), rs.getString("receipt_no"),
                                    rs.getObject("purchased_at", OffsetDateTime.class), rs.getLong("total_fen"),
                                    PurchaseSource.valueOf(rs.getString("source")), new ArrayList<>());
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    if (rs.getObject("qty") != null) {
                        p.lines().add(new PurchaseLine(rs.getString("sku"), rs.getString("category"), rs.getInt("qty"),
                                rs.getLong("amount_fen")));
                    }
                    return id;
                })
                .list();
        return List.copyOf(byId.values());
    }

    /** How many purchases the member (and the members merged into it) ever made and when the last one was, in one read. */
    public AllTime allTime(Handle h, UUID memberId) {
        return h.createQuery("SELECT COUNT(*) AS visits, MAX(p.purchased_at) AS last FROM " + MEMBER_AND_ALIASES
                        + " JOIN purchase p ON p.member_id = who.member_id")
                .bind("member", memberId)
                .map((rs, ctx) -> new AllTime(rs.getInt("visits"),
                        Optional.ofNullable(rs.getObject("last", OffsetDateTime.class))))
                .one();
    }

    public record AllTime(int visits, Optional<OffsetDateTime> last) {
    }
}
