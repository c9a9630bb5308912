package dev.counterpoint.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The scan's floor: a fixed set of five bare reads over JDBC of the data the member panel shows — the member by card;
 * the purchases of the history days with their lines; the wallet; the points balance; the stored-value balance —
 * each statement prepared once on one connection, every column of every row read. Written as one would write them by
 * hand, not a replay of the app's statements.
 */
final class PanelFloor implements AutoCloseable {
    private final Handle handle;
    private final PreparedStatement member;
    private final PreparedStatement purchases;
    private final PreparedStatement wallet;
    private final PreparedStatement points;
    private final PreparedStatement storedValue;
    private final int historyDays;

    PanelFloor(Jdbi jdbi, int historyDays) throws SQLException {
        this.historyDays = historyDays;
        this.handle = jdbi.open();
        Connection c = handle.getConnection();
        member = c.prepareStatement("""
                SELECT m.id, m.display_name, m.phone_masked, m.birthday, m.tier, m.home_store, m.enrolled_at, m.enrolled_via
                FROM member_code k JOIN member m ON m.id = k.member_id WHERE k.code = ? AND m.status = 'ACTIVE'""");
        purchases = c.prepareStatement("""
                SELECT p.id, p.store_id, p.receipt_no, p.purchased_at, p.total_fen, p.source, l.sku, l.category, l.qty,
                       l.amount_fen
                FROM purchase p LEFT JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.member_id = ? AND p.purchased_at >= ?
                ORDER BY p.purchased_at DESC, p.id, l.line_no""");
        wallet = c.prepareStatement("""
                SELECT id, code, template_id, valid_from, valid_until, status, issued_at, issued_by FROM coupon
                WHERE member_id = ? AND status = 'ISSUED' ORDER BY valid_until""");
        points = c.prepareStatement("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?");
        storedValue = c.prepareStatement("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?");
    }

    /** Reads the panel's data of the member holding {@code card}; returns the number of values read (0: no member). */
    long read(String card) throws SQLException {
        member.setString(1, card);
        UUID id = null;
        long values = 0;
        try (ResultSet rs = member.executeQuery()) {
            if (rs.next()) {
                id = rs.getObject(1, UUID.class);
                values += readRest(rs, 2);
            }
        }
        if (id == null) {
            return 0;
        }
        purchases.setObject(1, id);
        purchases.setObject(2, OffsetDateTime.now(ZoneOffset.UTC).minusDays(historyDays));
        values += all(purchases);
        wallet.setObject(1, id);
        values += all(wallet);
        points.setObject(1, id);
        values += all(points);
        storedValue.setObject(1, id);
        values += all(storedValue);
        return values;
    }

    private static long all(PreparedStatement ps) throws SQLException {
        long values = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values += readRest(rs, 1);
            }
        }
        return values;
    }

    private static long readRest(ResultSet rs, int from) throws SQLException {
        int columns = rs.getMetaData().getColumnCount();
        for (int col = from; col <= columns; col++) {
            rs.getObject(col);
        }
        return columns - from + 1;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : new PreparedStatement[] {member, purchases, wallet, points, storedValue}) {
            ps.close();
        }
        handle.close();
    }
}
