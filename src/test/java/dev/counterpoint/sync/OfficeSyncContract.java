package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.report.ZReportService;
import java.io.IOException;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sync protocol end to end over loopback HTTP; run against H2 and PostgreSQL by the subclasses. */
abstract class OfficeSyncContract {
    @TempDir
    Path tmp;

    OfficeHarness office;
    TestClock clockA;
    TestClock clockB;
    TerminalWiring a;
    TerminalWiring b;

    abstract OfficeHarness newOffice();

    @BeforeEach
    void start() {
        office = newOffice();
        clockA = OfficeHarness.clockAt(OfficeHarness.START);
        clockB = OfficeHarness.clockAt(OfficeHarness.START);
        a = office.terminal(tmp.resolve("a"), "S001", "T1", clockA);
        b = office.terminal(tmp.resolve("b"), "S002", "T1", clockB);
    }

    @AfterEach
    void stop() {
        if (office != null) {
            office.close();
        }
    }

    static SyncEngine engine(TerminalWiring ctx) {
        return ctx.syncEngine().orElseThrow();
    }

    static long pending(TerminalWiring ctx) {
        return ctx.database().jdbi().withHandle(h -> ctx.outbox().pendingCount(h));
    }

    static long points(TerminalWiring ctx, UUID member) {
        return ctx.database().jdbi().withHandle(h -> ctx.pointsLedger().balance(h, member));
    }

    long officePoints(UUID member) {
        return office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", member);
    }

    @Test
    void registrationSetsTheTerminalsIdentityAndTheChainPhoneKey() {
        assertThat(a.config().storeId()).isEqualTo("S001");
        assertThat(b.config().storeId()).isEqualTo("S002");
        assertThat(a.config().phoneKey()).isEqualTo(b.config().phoneKey());
        assertThat(office.officeLong("SELECT COUNT(*) FROM terminal WHERE status = 'ACTIVE' AND credential_hash IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void aRegistrationCodeWorksOnce() {
        String code = office.server.registrations().addTerminal("S003", "T9");
        office.server.registrations().register(code);
        assertThatThrownBy(() -> office.server.registrations().register(code))
                .hasMessageContaining("unknown or already used");
    }

    /**
     * The member reaches every store; their purchases and points reach the stores that keep them, and a store that
     * shows the member for the first time asks for them, as the counter does.
     */
    @Test
    void pushThenPullCarriesMembersEverywhereAndTheirRecordsToTheStoresThatShowThem() {
        Member wang = a.memberService().enrol("王芳", "13800135678", LocalDate.of(1990, 3, 13));
        a.checkoutService().recordSale(wang.id(), 10_000L, List.of());

        SyncReport pushed = engine(a).syncOnce();
        assertThat(pushed.pushed()).isEqualTo(2);
        assertThat(pushed.verdicts()).containsEntry("ACCEPTED", 2);
        assertThat(pending(a)).isZero();
        assertThat(officePoints(wang.id())).isEqualTo(100);

        SyncReport pulled = engine(b).syncOnce();
        // head office's member-QR and phone-box keys, and the member alone: B has not seen them
        assertThat(pulled.pulled()).isEqualTo(3);
        assertThat(b.memberService().findByCode(wang.cardCode())).isPresent();
        assertThat(b.memberService().search("13800135678")).extracting(Member::id).containsExactly(wang.id());
        assertThat(b.memberService().search(wang.displayName())).extracting(Member::id).contains(wang.id());
        assertThat(points(b, wang.id())).isZero();
        assertThat(b.memberSummaryService().byId(wang.id()).orElseThrow().chainHeld()).isFalse();
        assertThatThrownBy(() -> b.checkoutService().redeemPoints(wang.id(), 100))
                .hasMessageContaining("redeem.error.balancesNotHere");

        assertThat(engine(b).fetchHistory(wang.id())).isTrue();
        assertThat(points(b, wang.id())).isEqualTo(100);
        assertThat(b.memberSummaryService().byId(wang.id()).orElseThrow().chainHeld()).isTrue();
        assertThat(engine(b).fetchHistory(wang.id())).isFalse(); // asked once

        Map<String, Object> summary = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).memberByCard(wang.cardCode()).orElseThrow();
        assertThat(summary).containsEntry("points", 100L).containsEntry("stored_value_fen", 0L);
        assertThat((List<?>) summary.get("recent_purchases")).hasSize(1);
        // A pulls nothing of its own back.
        assertThat(engine(a).syncOnce().pulled()).isZero();
    }

    /**
     * A store serving a member it does not hold yet (offline, say) sells and tops up, but shows no balance and spends
     * none; once its sale reaches head office, the member's records come back with the pull and the store holds them.
     */
    @Test
    void aStoreThatServesAMemberHoldsTheirRecordsFromItsNextSync() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        a.checkoutService().topUp(m.id(), 20_000L);
        a.checkoutService().recordSale(m.id(), 10_000L, List.of());
        engine(a).syncOnce();
        engine(b).syncOnce();

        b.checkoutService().recordSale(m.id(), 5_000L, List.of());
        assertThat(b.checkoutService().topUp(m.id(), 1_000L).balanceAfterFen()).isNull();
        assertThatThrownBy(() -> b.checkoutService().payWithStoredValue(m.id(), 100L))
                .hasMessageContaining("redeem.error.balancesNotHere");
        dev.counterpoint.staff.Staff manager = b.staffAccounts().addFirst("li", "李店长",
                dev.counterpoint.protocol.StaffRole.MANAGER, "246810");
        assertThatThrownBy(() -> b.adjustments().adjust(new dev.counterpoint.checkout.Adjustments.Request(m.id(),
                dev.counterpoint.checkout.Adjustments.Kind.POINTS, 100, "till error"), manager, manager))
                .hasMessageContaining("adjust.error.balancesNotHere");
        var shown = b.memberSummaryService().byId(m.id()).orElseThrow();
        assertThat(shown.chainHeld()).isFalse();
        assertThat(shown.suggestions()).noneMatch(sg -> sg.isPoints());

        engine(b).syncOnce();

        assertThat(b.memberSummaryService().byId(m.id()).orElseThrow().chainHeld()).isTrue();
        assertThat(points(b, m.id())).isEqualTo(officePoints(m.id())).isEqualTo(150);
        assertThat(storedValue(b, m.id())).isEqualTo(storedValue(a, m.id()) + 1_000L);
        engine(a).syncOnce();
        assertThat(storedValue(a, m.id())).isEqualTo(storedValue(b, m.id()));
        assertThat(b.checkoutService().payWithStoredValue(m.id(), 100L).balanceAfter()).isEqualTo(storedValue(a, m.id()) - 100L);
        // A store that keeps no record of the member receives none of their ledger entries.
        assertThat(office.officeLong("""
                SELECT COUNT(*) FROM change_log WHERE kind IN ('points.entry', 'sv.entry', 'purchase.recorded')
                  AND (target_store IS NULL OR target_store NOT IN ('S001', 'S002'))""")).isZero();
    }

    /** Store and terminal ids of the longest length allowed make the longest receipt numbers: kept whole everywhere. */
    @Test
    void theLongestIdsMakeReceiptNumbersEveryTableKeeps() {
        String store = "S".repeat(32);
        TerminalWiring c = office.terminal(tmp.resolve("long"), store, "T".repeat(32), clockA);
        Member m = c.memberService().enrol("王芳", "13800135678", null);
        String receipt = c.checkoutService().recordSale(m.id(), 10_000L, List.of()).receiptNo();
        assertThat(receipt).hasSizeGreaterThan(64);

        assertThat(engine(c).syncOnce().verdicts()).isEqualTo(Map.of("ACCEPTED", 2));
        assertThat(office.officeLong("SELECT COUNT(*) FROM purchase WHERE receipt_no = ?", receipt)).isEqualTo(1);
        engine(b).syncOnce();
        engine(b).fetchHistory(m.id());
        assertThat(b.database().queryLong("SELECT COUNT(*) FROM purchase WHERE receipt_no = '" + receipt + "'")).isEqualTo(1);
    }

    /**
     * Head office mints member QR tokens for cards it knows; every counter verifies them with the public key it pulled
     * (it holds no signing key), and refuses one signed by any other key.
     */
    @Test
    void memberQrTokensAreMintedAtHeadOfficeAndVerifiedAtEveryCounter() throws Exception {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        engine(a).syncOnce();
        engine(b).syncOnce();
        // Minted with the key head office holds, at the terminals' time (this head office runs on the system clock).
        var mint = new dev.counterpoint.office.MemberQrMint(office.db.jdbi(), clockA, office.json, office.db.settingSeal());
        String token = mint.mint(m.cardCode()).orElseThrow().token();
        for (TerminalWiring t : List.of(a, b)) {
            assertThat(t.scanCheck().check(token)).as("at %s", t.config().storeId())
                    .isEqualTo(new dev.counterpoint.scan.ScanCheck.Lookup(m.cardCode(),
                            dev.counterpoint.scan.CodeParser.Kind.MEMBER_TOKEN));
        }
        assertThat(mint.mint("2900000099998")).isEmpty();
        assertThat(office.server.memberQr().mint(m.cardCode())).isPresent();
        java.security.KeyPair other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String forged = new dev.counterpoint.scan.MemberQrSigner(other.getPrivate(), clockA).tokenFor(m.cardCode());
        assertThat(a.scanCheck().check(forged)).isInstanceOf(dev.counterpoint.scan.ScanCheck.Refused.class);
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind = 'member_qr.key'")).isEqualTo(1);
    }

    @Test
    void aReplayedBatchGetsTheStoredVerdictsAndChangesNothing() {
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        a.checkoutService().recordSale(m.id(), 5_000L, List.of());
        List<Map<String, Object>> events = outboxEvents(a);
        OfficeClient client = client(a);
        JsonNode first = client.push(batch(a, events));
        long inbox = office.officeLong("SELECT COUNT(*) FROM inbox");
        long feed = office.officeLong("SELECT COUNT(*) FROM change_log");
        for (int i = 0; i < 3; i++) {
            JsonNode again = client.push(batch(a, events));
            assertThat(again.path("verdicts")).isEqualTo(first.path("verdicts"));
        }
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(inbox).isEqualTo(2);
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log")).isEqualTo(feed);
        assertThat(officePoints(m.id())).isEqualTo(50);
        // The terminal never saw those verdicts, so its own sync sends the events again: still nothing doubles.
        assertThat(engine(a).syncOnce().pushed()).isEqualTo(2);
        assertThat(officePoints(m.id())).isEqualTo(50);
    }

    /**
     * A writer that has numbered a change but not committed yet is invisible to a pull, and the cursor does not move
     * past it; once it commits, the next pull gets it. On H2 a writer takes the next number under the feed lock, as
     * every office write does; on PostgreSQL its number is its transaction's id and its place in it.
     */
    @Test
    void thePullCursorNeverSkipsAChangeThatCommitsLate() throws java.sql.SQLException {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        engine(a).syncOnce();
        engine(b).syncOnce();
        long seq;
        try (org.jdbi.v3.core.Handle late = office.jdbi().open()) {
            boolean postgres = late.getConnection().getMetaData().getURL().startsWith("jdbc:postgresql:");
            late.begin();
            seq = postgres
                    ? late.createQuery("SELECT pg_current_xact_id()::text::bigint << 24").mapTo(Long.class).one()
                    : late.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1 FOR UPDATE").mapTo(Long.class).one() + 1;
            late.createUpdate("""
                    INSERT INTO change_log(seq, kind, payload, created_at) VALUES (:seq, 'coupon.voided', '{"coupon_code":"LATE"}', CURRENT_TIMESTAMP)""")
                    .bind("seq", seq).execute();
            if (!postgres) {
                late.createUpdate("UPDATE feed_lock SET last_seq = :s WHERE id = 1").bind("s", seq).execute();
            }

            assertThat(engine(b).syncOnce().pulled()).isZero();
            assertThat(engine(b).cursor()).isLessThan(seq);
            late.commit();
        }
        assertThat(engine(b).syncOnce().pulled()).isEqualTo(1);
        assertThat(engine(b).cursor()).isGreaterThanOrEqualTo(seq);
        assertThat(points(b, m.id())).isZero();
    }

    @Test
    void anEventThatCannotBeAppliedIsKeptAsRejectedAndTheRestOfTheBatchApplies() {
        a.memberService().enrol("李雷", "13900001111", null);
        a.memberService().enrol("韩梅梅", "13900002222", null);
        List<Map<String, Object>> events = outboxEvents(a);
        // A database error (card code too long for its column) and a business one (sale for an unknown member).
        ((com.fasterxml.jackson.databind.node.ObjectNode) events.get(0).get("payload")).put("card_code", "9".repeat(100));
        Map<String, Object> sale = new LinkedHashMap<>(events.get(1));
        sale.put("event_id", UUID.randomUUID().toString());
        sale.put("terminal_seq", 99L);
        sale.put("type", "sale.recorded");
        sale.put("payload", office.json.createObjectNode().put("member_id", UUID.randomUUID().toString())
                .put("purchase_id", UUID.randomUUID().toString()).put("purchased_at", "2026-03-10T10:00:00+08:00").put("total_fen", 100));
        events.add(sale);
        JsonNode reply = client(a).push(batch(a, events));
        assertThat(reply.path("verdicts").findValuesAsText("verdict")).containsExactly("REJECTED", "ACCEPTED", "REJECTED");
        // Both are refused by the protocol's records before anything is written: the card code is too long for any
        // column, and a sale without a receipt number is not a sale.
        assertThat(reply.path("verdicts").get(0).path("detail").asText()).isEqualTo("card_code is longer than 64 characters");
        assertThat(reply.path("verdicts").get(2).path("detail").asText()).isEqualTo("missing receipt_no");
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(3);
        assertThat(office.officeLong("SELECT COUNT(*) FROM member")).isEqualTo(1);
    }

    /**
     * Head office sends a batch's rows together; a row the database refuses (a purchase id sent again under a new
     * event) still rejects only its own event, and nothing of it is kept.
     */
    @Test
    void aRowTheDatabaseRefusesRejectsOnlyItsOwnEventOfTheBatch() {
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        a.checkoutService().recordSale(m.id(), 5_000L, List.of());
        a.checkoutService().recordSale(m.id(), 7_000L, List.of());
        List<Map<String, Object>> events = outboxEvents(a);
        Map<String, Object> again = new LinkedHashMap<>(events.get(1));
        String entry = UUID.randomUUID().toString();
        again.put("event_id", UUID.randomUUID().toString());
        again.put("terminal_seq", 99L);
        again.put("payload", ((com.fasterxml.jackson.databind.node.ObjectNode) events.get(1).get("payload")).deepCopy()
                .put("points_entry_id", entry));
        events.add(2, again);

        JsonNode reply = client(a).push(batch(a, events));

        assertThat(reply.path("verdicts").findValuesAsText("verdict")).containsExactly("ACCEPTED", "ACCEPTED", "REJECTED", "ACCEPTED");
        assertThat(reply.path("verdicts").get(2).path("detail").asText()).startsWith("cannot apply");
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(4);
        assertThat(office.officeLong("SELECT COUNT(*) FROM purchase")).isEqualTo(2);
        assertThat(office.officeLong("SELECT COUNT(*) FROM points_entry WHERE id = ?", UUID.fromString(entry))).isZero();
        assertThat(officePoints(m.id())).isEqualTo(120);
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE payload LIKE ?", "%" + entry + "%")).isZero();
        // The terminal's own sync sends the three it had again and gets the verdicts head office keeps.
        assertThat(engine(a).syncOnce().verdicts()).isEqualTo(Map.of("ACCEPTED", 3));
        assertThat(officePoints(m.id())).isEqualTo(120);
    }

    /** The same event twice in one batch is applied once; the second gets the first's verdict. */
    @Test
    void anEventSentTwiceInOneBatchIsAppliedOnce() {
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        a.checkoutService().recordSale(m.id(), 5_000L, List.of());
        List<Map<String, Object>> events = outboxEvents(a);
        events.add(events.get(1));

        JsonNode reply = client(a).push(batch(a, events));

        assertThat(reply.path("verdicts").findValuesAsText("verdict")).containsExactly("ACCEPTED", "ACCEPTED", "ACCEPTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(2);
        assertThat(office.officeLong("SELECT events_received FROM terminal WHERE store_id = 'S001'")).isEqualTo(2);
        assertThat(officePoints(m.id())).isEqualTo(50);
    }

    /**
     * What one event of a batch changes, the next one in the same batch sees: a member enrolled, a tier raised by a
     * sale (the next sale starts from it), an overdraft opened by a spend and covered by a sale.
     */
    @Test
    void eventsOfOneBatchSeeWhatTheEventsBeforeThemChanged() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        a.checkoutService().recordSale(m.id(), 10_000L, List.of());
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(b).fetchHistory(m.id()); // shown at B
        a.checkoutService().redeemPoints(m.id(), 100);
        engine(a).syncOnce();
        // B, offline, spends the 100 points A already spent, then sells enough to go up a tier and sells again.
        b.checkoutService().redeemPoints(m.id(), 100);
        var upgrade = b.checkoutService().recordSale(m.id(), 2_000_000L, List.of());
        var next = b.checkoutService().recordSale(m.id(), 10_000L, List.of());
        assertThat(upgrade.tierAfter()).isNotEqualTo(upgrade.tierBefore());
        assertThat(next.tierBefore()).isEqualTo(upgrade.tierAfter());

        SyncReport r = engine(b).syncOnce();

        assertThat(r.verdicts()).isEqualTo(Map.of("OVERDRAFT", 1, "ACCEPTED", 2));
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'POINTS_OVERDRAFT' AND state = 'RESOLVED'"))
                .isEqualTo(1);
        assertThat(new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).exceptions("OPEN")).isEmpty();
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = ?", m.id(), upgrade.tierAfter().name()))
                .isEqualTo(1);
    }

    @Test
    void anEventClaimingAnotherTerminalIsRefusedAndNotKept() {
        a.memberService().enrol("李雷", "13900001111", null);
        List<Map<String, Object>> events = outboxEvents(a);
        events.get(0).put("terminal_id", "T2");
        JsonNode reply = client(a).push(batch(a, events));
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("REFUSED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isZero();
    }

    @Test
    void aRevokedTerminalIsRefused() {
        a.memberService().enrol("李雷", "13900001111", null);
        assertThat(office.server.registrations().revoke("S001", "T1")).isTrue();
        assertThatThrownBy(() -> engine(a).syncOnce())
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.REFUSED));
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isZero();
        assertThat(pending(a)).isEqualTo(1);
    }

    /**
     * The pull reads the rows for the store and the rows for every store as two ranges: paged in twos, they must come
     * back merged in feed order, each once, none skipped, without the rows for other stores or the terminal's own.
     */
    @Test
    void aPagedPullGivesTheStoresRowsAndEveryStoresRowsInFeedOrder() {
        TerminalWiring c = office.terminal(tmp.resolve("c"), "S003", "T1", clockA);
        List<Member> atA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            atA.add(a.memberService().enrol("甲" + i, "1390000100" + i, null));
            b.memberService().enrol("乙" + i, "1390000200" + i, null);
            c.memberService().enrol("丙" + i, "1390000300" + i, null);
        }
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(c).syncOnce();
        // Purchases at B of A's members: their rows go to A (the member's store) and B, not to C.
        for (Member m : atA) {
            b.checkoutService().recordSale(m.id(), 5_000L, List.of());
        }
        engine(b).syncOnce();

        List<Long> expected = office.jdbi().withHandle(h -> h.createQuery("""
                SELECT seq FROM change_log WHERE (target_store IS NULL OR target_store = 'S001')
                  AND NOT (origin_store IS NOT NULL AND origin_store = 'S001' AND origin_terminal = 'T1') ORDER BY seq""")
                .mapTo(Long.class).list());
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE target_store = 'S001'")).isPositive();
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE target_store IS NULL")).isPositive();
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE target_store = 'S002'")).isPositive();
        SyncSettings s = SyncSettings.load(tmp.resolve("a")).orElseThrow();
        OfficeClient client = new OfficeClient(office.url(), s.credential(), office.json, Duration.ofSeconds(5));
        List<Long> seen = new ArrayList<>();
        long cursor = 0;
        while (true) {
            JsonNode page = client.pull(cursor, 2);
            page.path("changes").forEach(ch -> seen.add(ch.path("seq").asLong()));
            assertThat(page.path("changes").size()).isLessThanOrEqualTo(2);
            cursor = page.path("cursor").asLong();
            if (!page.path("more").asBoolean()) {
                break;
            }
        }
        assertThat(seen).isEqualTo(expected);
        // At the feed's end: past every change (on PostgreSQL, numbers are not consecutive and the end lies beyond them).
        assertThat(cursor).isGreaterThanOrEqualTo(office.officeLong("SELECT MAX(seq) FROM change_log"));
        assertThat(client.pull(cursor, 2).path("changes")).isEmpty();
    }

    @Test
    void anOverloadedOfficeAnswers429WithRetryAfter() {
        try (OfficeServer busy = new OfficeServer(office.db, Clock.systemUTC(), office.json, 0)) {
            int port = busy.start("127.0.0.1", 0);
            SyncSettings s = SyncSettings.load(tmp.resolve("a")).orElseThrow();
            OfficeClient client = new OfficeClient(URI.create("http://127.0.0.1:" + port), s.credential(), office.json, Duration.ofSeconds(5));
            assertThatThrownBy(() -> client.pull(0, 10))
                    .isInstanceOfSatisfying(SyncException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SyncException.Kind.BUSY);
                        assertThat(e.retryAfterSeconds()).isEqualTo(2);
                    });
        }
    }

    @Test
    void closeOfDayReceiptMatchesHeadOffice() {
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        a.checkoutService().recordSale(m.id(), 12_300L, List.of());
        CloseDay.Result r = a.closeDay().close(LocalDate.of(2026, 3, 10), "manager");
        assertThat(r.confirmed()).isTrue();
        assertThat(r.throughSeq()).isEqualTo(2);
        assertThat(r.digest()).isEqualTo(r.officeDigest()).hasSize(64);
        assertThat(r.report().sales()).isEqualTo(1);
        assertThat(r.report().salesFen()).isEqualTo(12_300);
        assertThat(r.report().newMembers()).isEqualTo(1);
        assertThat(r.report().pointsIssued()).isEqualTo(123);
    }

    /** Terminal A's close of day, talking to head office on {@code port} instead of its registered address. */
    CloseDay closeDayVia(int port, CloseDay.Pause pause, Duration busyBudget) {
        SyncSettings s = SyncSettings.load(tmp.resolve("a")).orElseThrow();
        OfficeClient client = new OfficeClient(URI.create("http://127.0.0.1:" + port), s.credential(), office.json, Duration.ofSeconds(5));
        SyncEngine engine = new SyncEngine(a.database().jdbi(), client, a.json(), a.hlc(), a.clock(), a.memberRepository(),
                a.config().storeId(), a.config().terminalId());
        return new CloseDay(a.database().jdbi(), new ZReportService(a.clock().getZone(), a.config().storeId(), a.config().terminalId()),
                java.util.Optional.of(engine), a.json(), a.clock(), pause, busyBudget, a.auditLog(), a.dataDir());
    }

    @Test
    void closeOfDayWaitsOutABusyOfficeWithinItsBudget() {
        a.memberService().enrol("李雷", "13900001111", null);
        LocalDate day = LocalDate.of(2026, 3, 10);
        List<Duration> waits = new ArrayList<>();
        var afterTheRush = new java.util.concurrent.atomic.AtomicReference<OfficeServer>();
        OfficeServer busy = new OfficeServer(office.db, Clock.systemUTC(), office.json, 0);
        try {
            int port = busy.start("127.0.0.1", 0);
            CloseDay.Result givenUp = closeDayVia(port, waits::add, Duration.ofSeconds(5)).close(day, "manager");
            assertThat(givenUp.confirmed()).isFalse();
            assertThat(givenUp.problem().kind()).isEqualTo(SyncException.Kind.BUSY);
            assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertThat(pending(a)).as("the enrolment, and the close of day's audit entry").isEqualTo(2);

            waits.clear();
            CloseDay.Result waitedOut = closeDayVia(port, d -> {
                waits.add(d);
                if (afterTheRush.get() == null) { // the rush ends while the terminal waits: same address, room again
                    busy.close();
                    OfficeServer free = new OfficeServer(office.db, Clock.systemUTC(), office.json, 8);
                    afterTheRush.set(free);
                    free.start("127.0.0.1", port);
                }
            }, CloseDay.BUSY_BUDGET).close(day, "manager");
            assertThat(waitedOut.confirmed()).isTrue();
            assertThat(waits).containsExactly(Duration.ofSeconds(2));
            assertThat(pending(a)).isZero();
        } finally {
            busy.close();
            if (afterTheRush.get() != null) {
                afterTheRush.get().close();
            }
        }
    }

    @Test
    void aPublishedRuleSetReachesEveryTerminalAndABrokenOneIsRefused() throws Exception {
        OwnerApi owner = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
        String active = a.database().jdbi().withHandle(h -> h.createQuery("SELECT body FROM rule_set ORDER BY version DESC LIMIT 1")
                .mapTo(String.class).one());
        com.fasterxml.jackson.databind.node.ObjectNode next = (com.fasterxml.jackson.databind.node.ObjectNode) office.json.readTree(active);
        int version = next.path("version").asInt() + 1;
        next.put("version", version);
        ((com.fasterxml.jackson.databind.node.ObjectNode) next.path("earnPermille")).put("NORMAL", 2000);
        assertThat(owner.publishRuleSet(next)).isEqualTo(version);
        assertThatThrownBy(() -> owner.publishRuleSet(office.json.readTree("{\"version\": " + (version + 1) + ", \"earnPoints\": 1}")))
                .hasMessageContaining("not a rule set");
        assertThatThrownBy(() -> owner.publishRuleSet(next)).hasMessageContaining("not above");
        engine(a).syncOnce();
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        assertThat(a.checkoutService().recordSale(m.id(), 10_000L, List.of()).pointsEarned()).isEqualTo(200);
    }

    @Test
    void aCentrallyIssuedCouponAndItsRevocationReachTheOtherStore() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        engine(a).syncOnce();
        OwnerApi owner = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
        String code = (String) owner.issueCoupon(m.cardCode(), "WELCOME", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 30)).code();
        engine(b).syncOnce();
        assertThat(wallet(b, m, code).couponCode()).isEqualTo(code);
        assertThat(owner.voidCoupon(code)).isTrue();
        assertThat(owner.voidCoupon(code)).isFalse();
        engine(b).syncOnce();
        String status = b.database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM coupon WHERE code = :c")
                .bind("c", code).mapTo(String.class).one());
        assertThat(status).isEqualTo("VOID");
        assertThat(b.memberSummaryService().byId(m.id()).orElseThrow().suggestions())
                .noneMatch(s -> code.equals(s.couponCode()));
    }

    // ---- conflicts, decided at head office whatever the order of arrival ----

    /** A coupon issued centrally reaches both stores; both redeem it offline; A's redemption is the earlier one. */
    @Test
    void couponRedeemedAtTwoStoresEarliestStandsInEitherOrder() {
        for (boolean aFirst : new boolean[] {true, false}) {
            stop();
            start();
            Member m = a.memberService().enrol("王芳", "13800135678", null);
            engine(a).syncOnce();
            var coupon = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes())
                    .issueCoupon(m.cardCode(), "WELCOME", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 30));
            String code = coupon.code();
            engine(a).syncOnce();
            engine(b).syncOnce();
            clockA.advance(Duration.ofMinutes(1));
            clockB.advance(Duration.ofMinutes(5));
            a.checkoutService().redeem(m.id(), wallet(a, m, code), dev.counterpoint.coupon.Basket.UNKNOWN);
            b.checkoutService().redeem(m.id(), wallet(b, m, code), dev.counterpoint.coupon.Basket.UNKNOWN);
            UUID couponId = coupon.couponId();
            SyncReport first = engine(aFirst ? a : b).syncOnce();
            SyncReport second = engine(aFirst ? b : a).syncOnce();
            engine(a).syncOnce();
            engine(b).syncOnce();

            // Arriving second, B's later redemption is refused the coupon at once; arriving second, A's earlier one takes it over.
            assertThat(second.verdicts()).containsEntry(aFirst ? "CONFLICT" : "ACCEPTED", 1);
            assertThat(first.verdicts()).containsEntry("ACCEPTED", 1);
            assertThat(outcome(a, couponId)).isEqualTo("STANDS");
            assertThat(outcome(b, couponId)).isEqualTo("LOST");
            List<Map<String, Object>> exceptions = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).exceptions("OPEN");
            assertThat(exceptions).hasSize(1);
            assertThat(exceptions.get(0)).containsEntry("kind", "COUPON_CONFLICT").containsEntry("subject", code);
        }
    }

    /**
     * B has not pulled A's upgrade to Gold when its own, later sale raises the member to Silver from B's part of the
     * year: head office keeps Gold and every store ends on Gold (a store never lowers a tier).
     */
    @Test
    void aStoreThatHasNotPulledAnUpgradeDoesNotLowerTheTier() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        engine(a).syncOnce();
        engine(b).syncOnce();
        clockA.advance(Duration.ofMinutes(1));
        assertThat(a.checkoutService().recordSale(m.id(), 300_000L, List.of()).tierAfter()).isEqualTo(dev.counterpoint.protocol.Tier.GOLD);
        engine(a).syncOnce();
        clockB.advance(Duration.ofMinutes(2)); // B's upgrade is the later one
        assertThat(b.checkoutService().recordSale(m.id(), 100_000L, List.of()).tierAfter()).isEqualTo(dev.counterpoint.protocol.Tier.SILVER);
        engine(b).syncOnce();
        engine(a).syncOnce();

        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE tier = 'GOLD'")).isEqualTo(1);
        for (TerminalWiring t : List.of(a, b)) {
            assertThat(t.memberService().findByCode(m.cardCode()).orElseThrow().tier()).as("at %s", t.config().storeId())
                    .isEqualTo(dev.counterpoint.protocol.Tier.GOLD);
        }
    }

    /**
     * Both stores give the member a welcome coupon before either has heard of the other's: head office keeps the one it
     * knew first and voids the other, which B had already redeemed. The coupon is void at B too, as at head office and
     * at A (which saw the void before the redemption); B's redemption is kept.
     */
    @Test
    void aSecondOccasionCouponIsVoidAtEveryStoreEvenWhereItWasRedeemed() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        engine(a).syncOnce();
        engine(b).syncOnce();
        String atA = welcome(a, m);
        String atB = welcome(b, m);
        engine(a).syncOnce(); // head office knows A's coupon first
        b.checkoutService().redeem(m.id(), wallet(b, m, atB), dev.counterpoint.coupon.Basket.UNKNOWN);
        assertThat(engine(b).syncOnce().verdicts()).containsOnlyKeys("ACCEPTED");
        engine(a).syncOnce();

        String atOffice = office.jdbi().withHandle(h -> h.createQuery("SELECT status FROM coupon WHERE code = :c")
                .bind("c", atB).mapTo(String.class).one());
        assertThat(atOffice).isEqualTo("VOID");
        for (TerminalWiring t : List.of(a, b)) {
            assertThat(couponStatus(t, atB)).as("B's coupon at %s", t.config().storeId()).isEqualTo("VOID");
            assertThat(couponStatus(t, atA)).isEqualTo("ISSUED");
        }
        assertThat(b.database().queryLong("SELECT COUNT(*) FROM coupon_redemption")).isEqualTo(1);
    }

    /** The welcome coupon the counter issues when it shows a new member (decision 0016). */
    private static String welcome(TerminalWiring t, Member m) {
        return t.memberSummaryService().byId(m.id()).orElseThrow().suggestions().stream()
                .filter(s -> s.template() != null && s.template().id().equals("WELCOME")).findFirst().orElseThrow().couponCode();
    }

    private static String couponStatus(TerminalWiring t, String code) {
        return t.database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM coupon WHERE code = :c")
                .bind("c", code).mapTo(String.class).one());
    }

    /** Both stores spend the member's last 100 points offline: head office records a 100-point overdraft. */
    @Test
    void pointsOverspentOfflineBecomeAnOverdraftException() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        a.checkoutService().recordSale(m.id(), 10_000L, List.of());
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(b).fetchHistory(m.id()); // shown at B
        a.checkoutService().redeemPoints(m.id(), 100);
        b.checkoutService().redeemPoints(m.id(), 100);
        engine(b).syncOnce();
        SyncReport last = engine(a).syncOnce();
        engine(b).syncOnce();

        assertThat(last.verdicts()).containsEntry("OVERDRAFT", 1);
        assertThat(officePoints(m.id())).isEqualTo(-100);
        assertThat(points(a, m.id())).isEqualTo(-100);
        assertThat(points(b, m.id())).isEqualTo(-100);
        List<Map<String, Object>> ex = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).exceptions("OPEN");
        assertThat(ex).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("kind", "POINTS_OVERDRAFT").containsEntry("subject", m.id().toString());
            assertThat(((JsonNode) e.get("detail")).path("shortfall").asLong()).isEqualTo(100);
        });
        // A later sale covers the shortfall: the exception is resolved, not hidden.
        a.checkoutService().recordSale(m.id(), 20_000L, List.of());
        engine(a).syncOnce();
        assertThat(new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).exceptions("OPEN")).isEmpty();
    }

    /**
     * The same phone enrolled at both stores offline: the member head office knew first survives, whatever enrolment
     * time the stores claim; balances move; every terminal follows; the owner gets an open exception to look at.
     */
    @Test
    void samePhoneEnrolledAtTwoStoresMergesIntoTheOneHeadOfficeKnewFirstInEitherOrder() {
        for (boolean earlierFirst : new boolean[] {true, false}) {
            stop();
            start();
            clockB.advance(Duration.ofMinutes(10));
            Member early = a.memberService().enrol("张三", "13700001234", null);
            a.checkoutService().recordSale(early.id(), 10_000L, List.of());
            Member late = b.memberService().enrol("张三丰", "137-0000-1234", null);
            b.checkoutService().recordSale(late.id(), 5_000L, List.of());

            SyncReport first = engine(earlierFirst ? a : b).syncOnce();
            SyncReport second = engine(earlierFirst ? b : a).syncOnce();
            engine(a).syncOnce();
            engine(b).syncOnce();

            Member survivor = earlierFirst ? early : late;
            Member alias = earlierFirst ? late : early;
            assertThat(first.verdicts()).doesNotContainKey("MERGED");
            assertThat(second.verdicts()).containsKey("MERGED");
            assertThat(officePoints(survivor.id())).isEqualTo(150);
            assertThat(officePoints(alias.id())).isZero();
            for (TerminalWiring t : List.of(a, b)) {
                assertThat(t.memberService().findByCode(alias.cardCode())).get().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(survivor.id());
                    assertThat(m.cardCode()).isEqualTo(survivor.cardCode());
                });
                assertThat(t.memberService().search("13700001234")).extracting(Member::id).containsExactly(survivor.id());
                assertThat(points(t, survivor.id())).isEqualTo(150);
                assertThat(points(t, alias.id())).isZero();
            }
            OwnerApi owner = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
            Map<String, Object> summary = owner.memberByCard(alias.cardCode()).orElseThrow();
            assertThat(summary).containsEntry("member_id", survivor.id().toString()).containsEntry("points", 150L);
            assertThat(owner.exceptions("OPEN")).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("kind", "MEMBER_MERGED").containsEntry("subject", alias.id().toString());
            });
        }
    }

    /**
     * Store A, offline, enrols a phone and raises the member to Diamond, and the Diamond perk is issued; store B enrolled
     * the same phone later by the clock but reached head office first, and raised its member to Silver, stamped later.
     * The merge keeps B's member, and A's raise stands on the chain's figure: the same tier and wallet everywhere.
     */
    @Test
    void aRaiseMadeOfflineStandsWhenItsMemberIsMergedIntoOneRaisedLessButLater() {
        Member atA = a.memberService().enrol("王芳", "13900002222", null);
        a.checkoutService().recordSale(atA.id(), 1_000_000L, List.of());
        a.memberUpkeep().bringUpToDate(atA.id());
        clockB.advance(Duration.ofDays(11));
        Member atB = b.memberService().enrol("王芳", "139-0000-2222", null);
        assertThat(b.checkoutService().recordSale(atB.id(), 169_000L, List.of()).tierAfter()).isEqualTo(Tier.SILVER);
        engine(b).syncOnce();

        SyncReport fromA = engine(a).syncOnce();
        assertThat(fromA.verdicts()).containsKey("MERGED").doesNotContainKey("REJECTED");
        engine(b).syncOnce();
        engine(a).syncOnce();

        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'DIAMOND'", atB.id())).isEqualTo(1);
        for (TerminalWiring t : List.of(a, b)) {
            Member shown = t.memberService().findByCode(atA.cardCode()).orElseThrow();
            assertThat(shown.id()).isEqualTo(atB.id());
            assertThat(shown.tier()).as(t.config().storeId()).isEqualTo(Tier.DIAMOND);
        }
        assertThat(office.officeLong("SELECT COUNT(*) FROM coupon WHERE member_id = ? AND issued_by = 'trigger:TIER_PERK'",
                atA.id())).isEqualTo(1);
    }

    /**
     * Two people who share a phone, merged by head office: the owner says they are different people. The merge is
     * undone at head office and at every store, each gets back its own balances and card, and a later enrolment with
     * that phone does not merge them again.
     */
    @Test
    void aMergeTheOwnerFindsWrongIsUndoneEverywhereAndNotMadeAgain() {
        Member early = a.memberService().enrol("张三", "13700001234", null);
        a.checkoutService().recordSale(early.id(), 10_000L, List.of());
        Member late = b.memberService().enrol("张三丰", "137-0000-1234", null);
        b.checkoutService().recordSale(late.id(), 5_000L, List.of());
        b.checkoutService().topUp(late.id(), 2_000L);
        long lateSv = storedValue(b, late.id());
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(a).syncOnce();
        engine(b).syncOnce();
        assertThat(officePoints(late.id())).isZero();
        assertThat(a.memberService().findByCode(late.cardCode())).get().extracting(Member::id).isEqualTo(early.id());

        OwnerApi owner = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
        UUID merge = UUID.fromString((String) owner.exceptions("OPEN").get(0).get("id"));
        assertThat(owner.resolveException(merge, "owner", "DIFFERENT_PEOPLE", "张三丰 is his son")).isTrue();
        assertThat(owner.resolveException(merge, "owner", "DIFFERENT_PEOPLE", "twice")).as("resolved once only").isFalse();
        engine(a).syncOnce();
        engine(b).syncOnce();

        assertThat(officePoints(early.id())).isEqualTo(100);
        assertThat(officePoints(late.id())).isEqualTo(50);
        assertThat(office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", late.id()))
                .isEqualTo(lateSv);
        assertThat(office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", early.id()))
                .isZero();
        for (TerminalWiring t : List.of(a, b)) {
            assertThat(t.memberService().findByCode(late.cardCode())).get().extracting(Member::id).isEqualTo(late.id());
            assertThat(t.memberService().findByCode(early.cardCode())).get().extracting(Member::id).isEqualTo(early.id());
            assertThat(t.memberService().search("13700001234")).extracting(Member::id)
                    .containsExactlyInAnyOrder(early.id(), late.id());
            assertThat(points(t, early.id())).isEqualTo(100);
            assertThat(points(t, late.id())).isEqualTo(50);
            assertThat(storedValue(t, late.id())).isEqualTo(lateSv);
            assertThat(storedValue(t, early.id())).isZero();
        }
        assertThat(owner.memberByCard(late.cardCode()).orElseThrow()).containsEntry("member_id", late.id().toString())
                .containsEntry("points", 50L);
        assertThat(owner.exceptions("RESOLVED")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("resolution", "DIFFERENT_PEOPLE"));
        // Both are members again in the reports' tier counts, today's and each day's.
        assertThat(office.officeLong("SELECT COALESCE(SUM(members), 0) FROM report_tier WHERE store_id IN ('S001', 'S002')"))
                .isEqualTo(2);
        assertThat(office.officeLong("SELECT COALESCE(SUM(members), 0) FROM report_tier_day WHERE store_id IN ('S001', 'S002')"))
                .isEqualTo(2);

        // A third card with the same phone (at a store that has not heard of it) joins the member head office knew
        // first; the two kept apart stay apart.
        TerminalWiring c = office.terminal(tmp.resolve("c"), "S003", "T1",
                OfficeHarness.clockAt(OfficeHarness.START.plusSeconds(3600)));
        Member third = c.memberService().enrol("张小三", "13700001234", null);
        assertThat(engine(c).syncOnce().verdicts()).containsKey("MERGED");
        engine(b).syncOnce();
        assertThat(owner.memberByCard(third.cardCode()).orElseThrow()).containsEntry("member_id", early.id().toString());
        assertThat(owner.memberByCard(late.cardCode()).orElseThrow()).containsEntry("member_id", late.id().toString());
        assertThat(b.memberService().findByCode(late.cardCode())).get().extracting(Member::id).isEqualTo(late.id());
    }

    /** Top-ups (with their bonus) and offline payments from two stores: balances agree everywhere; a shortfall is an exception. */
    @Test
    void storedValueOverspentOfflineBecomesAnOverdraftAndEveryStoreAgrees() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        a.checkoutService().topUp(m.id(), 10_000L);
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(b).fetchHistory(m.id()); // shown at B
        long known = storedValue(b, m.id());
        assertThat(known).isEqualTo(storedValue(a, m.id())).isGreaterThanOrEqualTo(10_000);
        a.checkoutService().payWithStoredValue(m.id(), known);
        b.checkoutService().payWithStoredValue(m.id(), 3_000L);
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(a).syncOnce();
        long atOffice = office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", m.id());
        assertThat(atOffice).isEqualTo(-3_000);
        assertThat(storedValue(a, m.id())).isEqualTo(atOffice);
        assertThat(storedValue(b, m.id())).isEqualTo(atOffice);
        assertThat(new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).exceptions("OPEN")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("kind", "STORED_VALUE_OVERDRAFT"));
    }

    /** Online a terminal spends only the balance it knows; offline, up to the rules' allowance beyond it, and no further. */
    @Test
    void offlineSpendingMayGoBeyondTheKnownBalanceByTheAllowanceOnly() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        a.checkoutService().topUp(m.id(), 10_000L);
        a.checkoutService().recordSale(m.id(), 10_000L, List.of());
        engine(a).syncOnce();
        long fen = storedValue(a, m.id());
        long pts = points(a, m.id());
        var rules = a.database().jdbi().withHandle(h -> a.ruleSetRepository().active(h));
        long allowanceFen = rules.offlineAllowanceFen();
        long allowancePoints = allowanceFen * rules.pointsPerYuanRedeemed() / 100;
        assertThat(allowanceFen).isPositive();
        assertThatThrownBy(() -> a.checkoutService().payWithStoredValue(m.id(), fen + 100))
                .isInstanceOf(dev.counterpoint.shared.BusinessRuleException.class);

        office.server.close();
        assertThatThrownBy(() -> engine(a).syncOnce()).isInstanceOf(SyncException.class);
        assertThat(engine(a).reachable()).isFalse();
        a.checkoutService().payWithStoredValue(m.id(), fen + allowanceFen);
        a.checkoutService().redeemPoints(m.id(), pts + allowancePoints);
        assertThat(storedValue(a, m.id())).isEqualTo(-allowanceFen);
        assertThat(points(a, m.id())).isEqualTo(-allowancePoints);
        assertThatThrownBy(() -> a.checkoutService().payWithStoredValue(m.id(), 100))
                .isInstanceOf(dev.counterpoint.shared.BusinessRuleException.class);
        assertThatThrownBy(() -> a.checkoutService().redeemPoints(m.id(), 100))
                .isInstanceOf(dev.counterpoint.shared.BusinessRuleException.class);
    }

    /** Offline at another store than the member's home, a coupon worth more than the allowance is refused; at home it is not. */
    @Test
    void offlineACouponFromAnotherHomeStoreIsCappedByTheAllowance() throws Exception {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        engine(a).syncOnce();
        OwnerApi owner = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
        String active = a.database().jdbi().withHandle(h -> h.createQuery("SELECT body FROM rule_set ORDER BY version DESC LIMIT 1")
                .mapTo(String.class).one());
        com.fasterxml.jackson.databind.node.ObjectNode next = (com.fasterxml.jackson.databind.node.ObjectNode) office.json.readTree(active);
        next.put("version", next.path("version").asInt() + 1).put("offlineAllowanceFen", 500);
        owner.publishRuleSet(next);
        String first = (String) owner.issueCoupon(m.cardCode(), "WELCOME", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 30)).code();
        String second = (String) owner.issueCoupon(m.cardCode(), "WELCOME", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 30)).code();
        engine(a).syncOnce();
        engine(b).syncOnce();
        office.server.close();
        assertThatThrownBy(() -> engine(b).syncOnce()).isInstanceOf(SyncException.class);
        assertThatThrownBy(() -> engine(a).syncOnce()).isInstanceOf(SyncException.class);
        assertThatThrownBy(() -> b.checkoutService().redeem(m.id(), wallet(b, m, first), dev.counterpoint.coupon.Basket.UNKNOWN))
                .isInstanceOfSatisfying(dev.counterpoint.shared.BusinessRuleException.class,
                        e -> assertThat(e.userMessage().key()).isEqualTo("redeem.error.offlineCap"));
        assertThat(a.checkoutService().redeem(m.id(), wallet(a, m, second), dev.counterpoint.coupon.Basket.UNKNOWN).discountFen())
                .isEqualTo(1_000);
    }

    /** A coupon a store issues (here a manager's) is in the member's wallet at the other store after a sync. */
    @Test
    void aCouponIssuedAtOneStoreReachesTheOthersWallet() {
        Member m = a.memberService().enrol("王芳", "13800135678", null);
        var coupon = a.couponService().issueManual(m.id(), "BEANS_10", "店长");
        engine(a).syncOnce();
        engine(b).syncOnce();
        List<String> wallet = b.database().jdbi().withHandle(h -> b.couponRepository().wallet(h, m.id()))
                .stream().map(c -> c.code()).toList();
        assertThat(wallet).contains(coupon.code());
        a.couponService().voidCoupon(coupon.code(), "issued by mistake", "店长");
        engine(a).syncOnce();
        engine(b).syncOnce();
        String status = b.database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM coupon WHERE code = :c")
                .bind("c", coupon.code()).mapTo(String.class).one());
        assertThat(status).isEqualTo("VOID");
    }

    static long storedValue(TerminalWiring ctx, UUID member) {
        return ctx.database().jdbi().withHandle(h -> ctx.storedValueLedger().balanceFen(h, member));
    }

    /** Both stores edit the member offline: per field, the later edit (by HLC) wins everywhere, in either order. */
    @Test
    void profileEditsKeepTheLatestPerFieldInEitherOrder() {
        for (boolean aFirst : new boolean[] {true, false}) {
            stop();
            start();
            Member m = a.memberService().enrol("王芳", "13800135678", LocalDate.of(1990, 3, 13));
            engine(a).syncOnce();
            engine(b).syncOnce(); // B has seen a later office time, so its edit below carries the later HLC
            a.memberService().updateProfile(m.id(), "王芳芳", LocalDate.of(1991, 1, 1));
            b.memberService().updateProfile(m.id(), "王小芳", null);
            engine(aFirst ? a : b).syncOnce();
            engine(aFirst ? b : a).syncOnce();
            engine(a).syncOnce();
            engine(b).syncOnce();
            for (TerminalWiring t : List.of(a, b)) {
                Member seen = t.memberService().findByCode(m.cardCode()).orElseThrow();
                assertThat(seen.displayName()).as("name at %s, a first: %s", t.config().storeId(), aFirst).isEqualTo("王小芳");
                assertThat(seen.birthday()).isEqualTo(LocalDate.of(1991, 1, 1));
            }
            Map<String, Object> summary = new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).memberByCard(m.cardCode()).orElseThrow();
            assertThat(summary).containsEntry("name", "王小芳");
        }
    }

    /** Events made on an alias after the merge (offline at a third store) move to the survivor too. */
    @Test
    void threeTerminalsConvergeAfterAMergeAndLateSpendsOnTheAlias() {
        TestClock clockC = OfficeHarness.clockAt(OfficeHarness.START.plusSeconds(3600));
        TerminalWiring c = office.terminal(tmp.resolve("c"), "S003", "T1", clockC);
        Member first = b.memberService().enrol("张三丰", "13700001234", null);
        engine(b).syncOnce(); // head office knows B's member first
        engine(c).syncOnce();
        // Offline at A: the same phone enrolled again, a sale earning 300 points and a spend of 200 on that member.
        Member later = a.memberService().enrol("张三", "13700001234", null);
        a.checkoutService().recordSale(later.id(), 30_000L, List.of());
        a.checkoutService().redeemPoints(later.id(), 200);
        engine(a).syncOnce(); // the enrolment merges into B's member; the sale and spend that follow move with it
        for (TerminalWiring t : List.of(a, b, c, a, b, c)) {
            engine(t).syncOnce();
        }
        // C never served the member: it holds their records once it shows them.
        assertThat(points(c, first.id())).isZero();
        engine(c).fetchHistory(first.id());
        assertThat(officePoints(first.id())).isEqualTo(100);
        for (TerminalWiring t : List.of(a, b, c)) {
            assertThat(points(t, first.id())).as("terminal %s", t.config().storeId()).isEqualTo(100);
            assertThat(points(t, later.id())).isZero();
        }
    }

    // ---- a terminal restored from an older copy of its data dir ----

    /**
     * The store copies the data dir (terminal shut), works on, then restores the copy, as the damaged-database message
     * tells it to, and works on offline before the first sync. Nothing is lost and the sync goes on: what was made after
     * the copy comes back, what was made after the restore is numbered past head office and accepted, in order, and
     * close of day agrees with head office.
     */
    @Test
    void aTerminalRestoredFromAnOlderCopyKeepsSyncingAndLosesNothing() throws IOException {
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        Path dir = fileTerminal("S003");
        Path backup = tmp.resolve("backup");
        Member early;
        try (TerminalWiring t = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            early = t.memberService().enrol("李雷", "13900001111", null);
            t.checkoutService().recordSale(early.id(), 10_000L, List.of());
            engine(t).syncOnce();
            t.checkoutService().recordSale(early.id(), 2_000L, List.of()); // in the copy unpushed; pushed by the original
        }
        copyTree(dir, backup);

        Member late;
        String coupon;
        long latePoints;
        long lateStoredValue;
        try (TerminalWiring t = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            clock.advance(Duration.ofHours(1));
            late = t.memberService().enrol("韩梅梅", "13900002222", null);
            t.checkoutService().recordSale(late.id(), 5_000L, List.of());
            t.checkoutService().topUp(late.id(), 10_000L);
            coupon = t.couponService().issueManual(late.id(), "BEANS_10", "店长").code();
            engine(t).syncOnce();
            latePoints = points(t, late.id());
            lateStoredValue = storedValue(t, late.id());
        }
        assertThat(latePoints).isEqualTo(officePoints(late.id())).isPositive();
        assertThat(lateStoredValue).isGreaterThanOrEqualTo(10_000);
        long heldBefore = office.officeLong("SELECT COUNT(*) FROM inbox WHERE store_id = 'S003'");

        deleteTree(dir);
        copyTree(backup, dir);
        try (TerminalWiring t = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            assertThat(t.memberService().findByCode(late.cardCode())).isEmpty();
            clock.advance(Duration.ofHours(1));
            // Made before the restored terminal reaches head office: numbered from where the copy stood.
            Member offline = t.memberService().enrol("王芳", "13800135678", null);
            t.checkoutService().recordSale(offline.id(), 3_000L, List.of());
            t.checkoutService().recordSale(early.id(), 4_000L, List.of());

            SyncReport r = engine(t).syncOnce();
            assertThat(r.verdicts()).containsOnlyKeys("ACCEPTED"); // the sale head office had gets its stored verdict
            assertThat(pending(t)).isZero();
            assertThat(office.officeLong("SELECT COUNT(*) FROM inbox WHERE store_id = 'S003'")).isEqualTo(heldBefore + 3);
            assertThat(officePoints(offline.id())).isEqualTo(30);

            // What it made after the copy is back: the member, its points, its stored value, its coupon.
            assertThat(t.memberService().findByCode(late.cardCode())).get().extracting(Member::id).isEqualTo(late.id());
            assertThat(t.memberService().search("13900002222")).extracting(Member::id).containsExactly(late.id());
            assertThat(points(t, late.id())).isEqualTo(latePoints);
            assertThat(storedValue(t, late.id())).isEqualTo(lateStoredValue);
            List<String> wallet = t.database().jdbi().withHandle(h -> t.couponRepository().wallet(h, late.id()))
                    .stream().map(c -> c.code()).toList();
            assertThat(wallet).containsExactly(coupon);
            assertThat(points(t, early.id())).isEqualTo(officePoints(early.id())).isEqualTo(160);
            assertThat(ownChangesThrough(t)).isZero();

            // The outbox is head office's inbox for this terminal again, number for number.
            assertThat(localEventIds(t)).isEqualTo(officeEventIds(office, "S003"));
            CloseDay.Result day = t.closeDay().close(LocalDate.of(2026, 3, 10), "manager");
            assertThat(day.confirmed()).isTrue();
            assertThat(day.digest()).isEqualTo(day.officeDigest());
            assertThat(day.throughSeq()).isEqualTo(office.officeLong("SELECT MAX(terminal_seq) FROM inbox WHERE store_id = 'S003'"));
        }

        // The next start finds nothing to repair.
        try (TerminalWiring t = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            Map<Long, String> numbered = localEventIds(t);
            t.checkoutService().recordSale(early.id(), 1_000L, List.of());
            // The sale, and the audit entry of the close of day before it (written after its receipt was taken).
            assertThat(engine(t).syncOnce().verdicts()).containsExactly(Map.entry("ACCEPTED", 2));
            assertThat(localEventIds(t)).containsAllEntriesOf(numbered).hasSize(numbered.size() + 1);
            // The restored audit log started again from the copy's end: head office says so (decision 0048).
            assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'AUDIT_CHAIN_BROKEN' "
                    + "AND subject = 'S003/T1' AND state = 'OPEN'")).isEqualTo(1);
            assertThat(t.closeDay().close(LocalDate.of(2026, 3, 10), "manager").confirmed()).isTrue();
        }
    }

    /** A terminal whose verdicts were lost (its push cut off after head office committed) is not taken for a restored one. */
    @Test
    void aTerminalThatLostItsVerdictsIsNotTakenForARestoredOne() {
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        a.checkoutService().recordSale(m.id(), 5_000L, List.of());
        engine(a).syncOnce();
        a.database().jdbi().useHandle(h -> h.execute("UPDATE outbox_event SET pushed_at = NULL, verdict = NULL"));
        a.checkoutService().recordSale(m.id(), 1_000L, List.of());
        Map<Long, String> numbered = localEventIds(a);
        SyncEngine started = new SyncEngine(a.database().jdbi(), client(a), a.json(), a.hlc(), a.clock(), a.memberRepository(),
                a.config().storeId(), a.config().terminalId()); // as after a restart: the outbox is compared first
        assertThat(started.syncOnce().verdicts()).containsExactly(Map.entry("ACCEPTED", 3));
        assertThat(localEventIds(a)).isEqualTo(numbered).isEqualTo(officeEventIds(office, "S001"));
        assertThat(ownChangesThrough(a)).isZero();
        assertThat(points(a, m.id())).isEqualTo(60);
    }

    /** A restored copy that lacks more of its events than head office sends in a page is repaired page by page. */
    @Test
    void aRestoreLackingSeveralPagesOfEventsIsRepairedPageByPage() {
        Member m = a.memberService().enrol("李雷", "13900001111", null);
        for (int i = 0; i < 6; i++) {
            a.checkoutService().recordSale(m.id(), 1_000L, List.of());
        }
        engine(a).syncOnce();
        a.checkoutService().recordSale(m.id(), 1_000L, List.of()); // pending in the copy, then pushed by the original
        Map<Long, String> pushed = localEventIds(a);
        engine(a).syncOnce();
        // As if restored from a copy holding the first two events and the third unpushed; then two sales offline.
        a.database().jdbi().useHandle(h -> {
            h.execute("DELETE FROM outbox_event WHERE terminal_seq > 3");
            h.execute("UPDATE outbox_event SET pushed_at = NULL, verdict = NULL WHERE terminal_seq = 3");
            h.execute("ALTER SEQUENCE outbox_seq RESTART WITH 4");
        });
        a.checkoutService().recordSale(m.id(), 2_000L, List.of());
        a.checkoutService().recordSale(m.id(), 2_000L, List.of());

        RestoreRepair repair = new RestoreRepair(a.database().jdbi(), client(a), a.hlc(), a.clock(), 2);
        assertThat(repair.run()).isTrue();
        assertThat(localEventIds(a)).containsAllEntriesOf(pushed).hasSize(pushed.size() + 2);
        assertThat(repair.run()).isFalse();
        assertThat(engine(a).syncOnce().verdicts()).containsExactly(Map.entry("ACCEPTED", 3));
        assertThat(localEventIds(a)).isEqualTo(officeEventIds(office, "S001"));
        assertThat(officePoints(m.id())).isEqualTo(110);
    }

    /** A registered terminal with its own H2 file in its data dir (the harness's terminals are in memory). */
    Path fileTerminal(String store) {
        Path dir = tmp.resolve(store);
        office.terminal(dir, store, "T1", Clock.systemUTC()).close();
        return dir;
    }

    static Map<Long, String> localEventIds(TerminalWiring t) {
        Map<Long, String> ids = new LinkedHashMap<>();
        t.database().jdbi().useHandle(h -> h.createQuery("SELECT terminal_seq, event_id FROM outbox_event ORDER BY terminal_seq")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> ids.put(e.getKey(), e.getValue())));
        return ids;
    }

    static Map<Long, String> officeEventIds(OfficeHarness office, String store) {
        Map<Long, String> ids = new LinkedHashMap<>();
        office.jdbi().useHandle(h -> h.createQuery("SELECT terminal_seq, event_id FROM inbox WHERE store_id = :s ORDER BY terminal_seq")
                .bind("s", store).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getObject(2, UUID.class).toString()))
                .forEach(e -> ids.put(e.getKey(), e.getValue())));
        return ids;
    }

    static long ownChangesThrough(TerminalWiring t) {
        return t.database().jdbi().withHandle(h -> h.createQuery("SELECT own_changes_through FROM sync_state").mapTo(Long.class).one());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- helpers ----

    static Suggestion wallet(TerminalWiring t, Member m, String code) {
        return t.memberSummaryService().byId(m.id()).orElseThrow().suggestions().stream()
                .filter(s -> code.equals(s.couponCode())).findFirst().orElseThrow();
    }

    static String outcome(TerminalWiring t, UUID couponId) {
        return t.database().jdbi().withHandle(h -> h.createQuery("SELECT outcome FROM coupon_redemption WHERE coupon_id = :c")
                .bind("c", couponId).mapTo(String.class).one());
    }

    static OfficeClient client(TerminalWiring t) {
        SyncSettings s = SyncSettings.load(t.dataDir()).orElseThrow();
        return new OfficeClient(s.officeUrl(), s.credential(), OfficeHarness.json(), Duration.ofSeconds(10));
    }

    static List<Map<String, Object>> outboxEvents(TerminalWiring t) {
        return t.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT event_id, terminal_seq, hlc, type, payload FROM outbox_event ORDER BY terminal_seq")
                .map((rs, ctx) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("event_id", rs.getString("event_id"));
                    e.put("store_id", t.config().storeId());
                    e.put("terminal_id", t.config().terminalId());
                    e.put("terminal_seq", rs.getLong("terminal_seq"));
                    e.put("hlc", rs.getLong("hlc"));
                    e.put("type", rs.getString("type"));
                    try {
                        e.put("payload", OfficeHarness.json().readTree(rs.getString("payload")));
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                    return e;
                }).list());
    }

    static Map<String, Object> batch(TerminalWiring t, List<Map<String, Object>> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store_id", t.config().storeId());
        body.put("terminal_id", t.config().terminalId());
        body.put("events", new ArrayList<>(events));
        return body;
    }
}
