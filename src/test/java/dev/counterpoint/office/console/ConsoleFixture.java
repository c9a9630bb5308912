package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.office.report.Backfill;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.store.Digests;
import dev.counterpoint.testing.TestClock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A head office on loopback with a small chain in its database: stores S001 (two terminals, today closed and
 * confirmed at T1) and S002 (one terminal, today closed with a digest head office cannot match), members at each,
 * exceptions touching each, and three console accounts: the owner {@code boss}, {@code wang} (manager of S001) and
 * {@code li} (manager of S002).
 */
final class ConsoleFixture implements AutoCloseable {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** 14:00 in Shanghai on 10 March 2026. */
    static final Instant NOW = Instant.parse("2026-03-10T06:00:00Z");
    static final String PASSWORD = "correct horse battery";
    static final String OWNER = "boss";
    static final String MANAGER_S001 = "wang";
    static final String MANAGER_S002 = "li";
    /** 林雨桐, home S001, held by S001 only. */
    static final String CARD_S001 = "2900000000018";
    /** 王建国, home S002, also served at S001. */
    static final String CARD_BOTH = "2900000000025";
    /** A name typed as a spreadsheet formula, home S002. */
    static final String CARD_FORMULA = "2900000000032";
    static final String FORMULA_NAME = "=HYPERLINK(\"http://x\",\"y\")";
    /** Merged into {@link #CARD_BOTH} by phone. */
    static final String CARD_ALIAS = "2900000000049";
    static final String PHONE_S001 = "13800135678";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    final TestClock clock = new TestClock(NOW, ZONE);
    final ObjectMapper json = ProtocolJson.newMapper();
    final OfficeDatabase db;
    final OfficeServer server;
    final int port;
    final UUID memberS001 = UUID.fromString("01900000-0000-7000-8000-000000000001");
    final UUID memberBoth = UUID.fromString("01900000-0000-7000-8000-000000000002");
    final UUID memberFormula = UUID.fromString("01900000-0000-7000-8000-000000000003");
    final UUID memberAlias = UUID.fromString("01900000-0000-7000-8000-000000000004");
    final UUID couponConflictS001 = UUID.fromString("01900000-0000-7000-8000-0000000000e1");
    final UUID overdraftS002 = UUID.fromString("01900000-0000-7000-8000-0000000000e2");
    final UUID mergeS002 = UUID.fromString("01900000-0000-7000-8000-0000000000e3");
    final UUID auditS002 = UUID.fromString("01900000-0000-7000-8000-0000000000e4");

    ConsoleFixture() {
        this(h2());
    }

    /** The chain in {@code db} (an in-memory H2 by default, or PostgreSQL). */
    ConsoleFixture(OfficeDatabase db) {
        this.db = db;
        server = new OfficeServer(db, clock, json, 4, null);
        port = server.start("127.0.0.1", 0);
        seed();
        // The KPI roll-ups, built from the rows seeded above as head office builds them for an earlier database.
        Backfill.rebuild(db.jdbi(), json, dev.counterpoint.office.ChainLocks::exclusive);
        ConsoleUsers users = server.console().users();
        users.add(OWNER, Viewer.Role.OWNER, null, PASSWORD);
        users.add(MANAGER_S001, Viewer.Role.MANAGER, "S001", PASSWORD);
        users.add(MANAGER_S002, Viewer.Role.MANAGER, "S002", PASSWORD);
    }

    private static OfficeDatabase h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:console-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("office");
        ds.setPassword("");
        return OfficeDatabase.of(ds);
    }

    Jdbi jdbi() {
        return db.jdbi();
    }

    /** A client of this console signed in as the account {@code user}. */
    ConsoleClient as(String user) throws java.io.IOException, InterruptedException {
        return new ConsoleClient(base()).signedIn(user);
    }

    /** An export's rows after its header line, the export answered 200. */
    static List<String> rows(ConsoleClient.Reply csv) {
        org.assertj.core.api.Assertions.assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        return csv.body().lines().skip(1).toList();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    private void seed() {
        String phoneKey = server.registrations().chainPhoneKey();
        Phones phones = new Phones(HexFormat.of().parseHex(phoneKey));
        OffsetDateTime now = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
        jdbi().useTransaction(h -> {
            terminal(h, "S001", "T1", "ACTIVE", now.minusMinutes(1), 0L);
            terminal(h, "S001", "T2", "ACTIVE", now.minusHours(5), 7L);
            terminal(h, "S002", "T1", "ACTIVE", now.minusMinutes(2), 0L);
            terminal(h, "S002", "T9", "REVOKED", now.minusDays(30), null);
            // S001/T1 closed today, head office holds exactly the events it covered; S002/T1's digest differs.
            List<UUID> s001 = List.of(UUID.fromString("01900000-0000-7000-8000-0000000000a1"),
                    UUID.fromString("01900000-0000-7000-8000-0000000000a2"));
            for (int i = 0; i < s001.size(); i++) {
                inbox(h, s001.get(i), "S001", "T1", i + 1, now);
            }
            inbox(h, UUID.fromString("01900000-0000-7000-8000-0000000000b1"), "S002", "T1", 1, now);
            dayClosed(h, "S001", "T1", 2, Digests.ofEventIds(s001.stream().map(UUID::toString).toList()), now);
            dayClosed(h, "S002", "T1", 1, "0".repeat(64), now);

            member(h, memberS001, CARD_S001, "林雨桐", phones.hmac(PHONE_S001), Phones.mask(PHONE_S001), "S001", "ACTIVE", null);
            member(h, memberBoth, CARD_BOTH, "王建国", phones.hmac("13900001111"), "139****1111", "S002", "ACTIVE", null);
            member(h, memberFormula, CARD_FORMULA, FORMULA_NAME, null, null, "S002", "ACTIVE", null);
            member(h, memberAlias, CARD_ALIAS, "王建国", phones.hmac("13900001111"), "139****1111", "S002", "MERGED", memberBoth);
            h.execute("INSERT INTO member_store(member_id, store_id, joined_at) VALUES (?, 'S001', ?)", memberBoth, now);
            purchase(h, memberS001, "S001", "T1", "S001-T1-000001", 12_800, now.minusDays(1));
            purchase(h, memberBoth, "S001", "T2", "S001-T2-000004", 4_500, now.minusDays(2));
            purchase(h, memberBoth, "S002", "T1", "S002-T1-000009", 30_000, now.minusDays(3));
            // Today's: two at S001, one at S002 (by the member both stores hold).
            purchase(h, memberS001, "S001", "T1", "S001-T1-000002", 2_600, now.minusHours(3));
            purchase(h, memberBoth, "S001", "T1", "S001-T1-000003", 1_900, now.minusHours(2));
            purchase(h, memberBoth, "S002", "T1", "S002-T1-000010", 5_500, now.minusHours(1));
            h.execute("INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, store_id) "
                    + "VALUES (?, ?, 128, 'EARN', DATE '2027-03-09', NULL, ?, 1, 'S001')", UUID.randomUUID(), memberS001, now.minusDays(1));
            h.execute("INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, store_id) "
                    + "VALUES (?, ?, 50000, 'TOPUP', NULL, ?, 1, 'S002')", UUID.randomUUID(), memberBoth, now.minusDays(4));
            h.execute("INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, issued_at, issued_by) "
                    + "VALUES (?, 'HQ0000000001', ?, 'WELCOME', DATE '2026-03-01', DATE '2026-03-31', ?, 'head-office')",
                    UUID.randomUUID(), memberS001, now.minusDays(9));
            UUID winner = UUID.randomUUID();
            h.execute("INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, event_id) "
                    + "VALUES (?, 'HQ0000000001', ?, 'S001', 'T1', 1000, 1, ?)", winner, memberS001, UUID.randomUUID());
            h.execute("INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, event_id) "
                    + "VALUES (?, 'HQ0000000001', ?, 'S001', 'T2', 1000, 2, ?)", UUID.randomUUID(), memberS001, UUID.randomUUID());
            h.execute("INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES ('HQ0000000001', ?, 1, ?)",
                    winner, UUID.randomUUID());

            exception(h, couponConflictS001, "COUPON_CONFLICT", "HQ0000000001",
                    "{\"coupon_code\":\"HQ0000000001\",\"winner_redemption_id\":\"" + winner + "\",\"loser_redemption_ids\":[]}", now);
            exception(h, overdraftS002, "POINTS_OVERDRAFT", memberFormula.toString(),
                    "{\"member_id\":\"" + memberFormula + "\",\"shortfall\":300}", now.plusSeconds(1));
            exception(h, mergeS002, "MEMBER_MERGED", memberAlias.toString(), "{\"alias_id\":\"" + memberAlias
                    + "\",\"survivor_id\":\"" + memberBoth + "\",\"points_moved\":0,\"stored_value_moved_fen\":0}", now.plusSeconds(2));
            exception(h, auditS002, "AUDIT_CHAIN_BROKEN", "S002/T1",
                    "{\"store_id\":\"S002\",\"terminal_id\":\"T1\",\"seq\":3,\"problem\":\"entry 3 is missing\"}", now.plusSeconds(3));
        });
    }

    private static void terminal(Handle h, String store, String terminal, String status, OffsetDateTime lastSync, Long pending) {
        h.execute("INSERT INTO terminal(store_id, terminal_id, status, created_at, registered_at, last_push_at, last_pull_at, "
                        + "events_received, events_pending, credential_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 2, ?, ?)",
                store, terminal, status, lastSync.minusDays(60), lastSync.minusDays(60), lastSync, lastSync, pending,
                UUID.randomUUID().toString().replace("-", ""));
    }

    private static void inbox(Handle h, UUID id, String store, String terminal, long seq, OffsetDateTime at) {
        h.execute("INSERT INTO inbox(event_id, store_id, terminal_id, terminal_seq, hlc, type, payload, received_at, verdict) "
                + "VALUES (?, ?, ?, ?, ?, 'sale.recorded', '{}', ?, 'ACCEPTED')", id, store, terminal, seq, seq, at);
    }

    private static void dayClosed(Handle h, String store, String terminal, long through, String digest, OffsetDateTime at) {
        h.execute("INSERT INTO audit_entry(store_id, terminal_id, seq, entry_id, recorded_at, staff_id, action, subject, detail, "
                        + "prev_hash, hash, intact) VALUES (?, ?, 1, ?, ?, 'mgr', 'DAY_CLOSED', '2026-03-10', ?, ?, ?, TRUE)",
                store, terminal, UUID.randomUUID(), at, "{\"confirmed\":\"true\",\"digest\":\"" + digest + "\",\"sales\":\"1\","
                        + "\"sales_fen\":\"100\",\"through_seq\":\"" + through + "\"}", "0".repeat(64), "1".repeat(64));
    }

    private static void member(Handle h, UUID id, String card, String name, String hmac, String masked, String home,
                               String status, UUID survivor) {
        h.execute("INSERT INTO member(id, card_code, display_name, phone_hmac, phone_masked, birthday, tier, home_store, "
                        + "enrolled_at, enrolled_hlc, enrolled_via, status, survivor_id) "
                        + "VALUES (?, ?, ?, ?, ?, DATE '1990-03-12', 'SILVER', ?, TIMESTAMP WITH TIME ZONE '2025-01-05 10:00:00+08', 1, 'COUNTER', ?, ?)",
                id, card, name, hmac, masked, home, status, survivor);
    }

    private static void purchase(Handle h, UUID member, String store, String terminal, String receipt, long totalFen,
                                 OffsetDateTime at) {
        h.execute("INSERT INTO purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 'SALE')", UUID.randomUUID(), member, store, terminal, receipt, at, totalFen);
    }

    private static void exception(Handle h, UUID id, String kind, String subject, String detail, OffsetDateTime at) {
        h.execute("INSERT INTO sync_exception(id, kind, subject, detail, state, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, 'OPEN', ?, ?)", id, kind, subject, detail, at, at);
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
