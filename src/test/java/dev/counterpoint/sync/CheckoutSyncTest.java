package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.batch;
import static dev.counterpoint.sync.OfficeSyncContract.client;
import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.checkout.RefundReceipt;
import dev.counterpoint.checkout.Refunds;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkouts, voids, refunds, staff accounts and audit entries through a real head office: applied and decided as the
 * separate events are, a refund of another store's receipt online, forged ones refused, a broken audit chain raised.
 */
class CheckoutSyncTest {
    @TempDir
    Path tmp;
    OfficeHarness office;
    TerminalWiring a;
    TerminalWiring b;
    Member member;
    Staff li;
    Staff zhang;
    long seq = 2_000_000;

    @BeforeEach
    void start() {
        office = OfficeHarness.h2();
        TestClock clockA = OfficeHarness.clockAt(OfficeHarness.START);
        a = office.terminal(tmp.resolve("a"), "S001", "T1", clockA);
        b = office.terminal(tmp.resolve("b"), "S002", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        li = a.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        zhang = b.staffAccounts().addFirst("zhang", "张店长", StaffRole.MANAGER, "135790");
        member = a.memberService().enrol("陈思远", "13800001111", null);
        a.checkoutService().topUp(member.id(), 10_000);
        a.checkoutService().recordSale(member.id(), 50_000L, List.of()); // 500 points
        sync(a, b);
    }

    @AfterEach
    void stop() {
        office.close();
    }

    private void sync(TerminalWiring... terminals) {
        for (TerminalWiring t : terminals) {
            engine(t).syncOnce();
        }
    }

    private long officePoints() {
        return office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", member.id());
    }

    private long officeSv() {
        return office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", member.id());
    }

    private static long points(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> t.pointsLedger().balance(h, m));
    }

    private static long sv(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> t.storedValueLedger().balanceFen(h, m));
    }

    private Coupon coupon(String template) {
        Coupon c = a.database().jdbi().inTransaction(h -> a.couponService().issue(h, member.id(),
                a.couponRepository().template(h, template).orElseThrow(), "trigger:" + template));
        sync(a);
        return c;
    }

    private List<String> verdicts(String type) {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT verdict FROM inbox WHERE type = :t ORDER BY terminal_seq")
                .bind("t", type).mapTo(String.class).list());
    }

    @Test
    void aCheckoutAndItsVoidAreAppliedAtHeadOfficeAsTheTerminalHoldsThem() {
        Coupon welcome = coupon("WELCOME");
        long pointsBefore = officePoints();
        long svBefore = officeSv();
        CheckoutReceipt r = a.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(),
                new CheckoutRequest.CouponChoice.Code(welcome.code()), 300, 2_000), li);
        sync(a);

        assertThat(verdicts("checkout.completed")).containsExactly("ACCEPTED");
        assertThat(officePoints()).isEqualTo(points(a, member.id())).isEqualTo(pointsBefore - 300 + r.pointsEarned());
        assertThat(officeSv()).isEqualTo(sv(a, member.id())).isEqualTo(svBefore - 2_000);
        assertThat(office.officeLong("SELECT COUNT(*) FROM purchase WHERE receipt_no = ? AND total_fen = 8000", r.receiptNo()))
                .isEqualTo(1);
        assertThat(office.officeLong("SELECT COUNT(*) FROM coupon_claim WHERE coupon_code = ?", welcome.code())).isEqualTo(1);

        RefundReceipt v = a.refunds().voidCheckout(r.receiptNo(), li, li);
        sync(a, b);
        assertThat(v.couponRestored()).isTrue();
        assertThat(verdicts("checkout.refunded")).containsExactly("ACCEPTED");
        assertThat(officePoints()).isEqualTo(points(a, member.id())).isEqualTo(pointsBefore);
        assertThat(officeSv()).isEqualTo(sv(a, member.id())).isEqualTo(svBefore);
        assertThat(office.officeLong("SELECT COUNT(*) FROM coupon_claim WHERE coupon_code = ?", welcome.code())).isZero();
        assertThat(office.officeLong("SELECT refunded_fen FROM purchase WHERE receipt_no = ?", r.receiptNo())).isEqualTo(8_000);
        // Every store sees the coupon usable again.
        assertThat(b.database().jdbi().withHandle(h -> b.couponRepository().findByCode(h, welcome.code())).orElseThrow().status())
                .isEqualTo(Coupon.Status.ISSUED);
    }

    @Test
    void anotherStoreRefundsAReceiptItReadsFromHeadOfficeAndBothRefundsOfOneLineCannotStand() {
        CheckoutReceipt r = a.checkouts().complete(new CheckoutRequest(member.id(), null,
                List.of(new PurchaseLine("BEAN", "咖啡豆", 1, 6_000), new PurchaseLine("LATTE", "饮品", 1, 4_000)),
                CheckoutRequest.CouponChoice.NONE, 0, 0), li);
        sync(a);
        engine(b).fetchHistory(member.id());
        sync(b);
        long before = officePoints();
        // The counter's screen finds it the same way: read from head office, another store's, not to be voided here.
        Refunds.Found found = b.refunds().find(r.receiptNo());
        assertThat(found.fromOffice()).isTrue();
        assertThat(found.storeId()).isEqualTo(a.config().storeId()).isNotEqualTo(b.config().storeId());
        assertThat(found.items()).extracting(PurchaseLine::amountFen).containsExactly(6_000L, 4_000L);
        assertThat(found.voidRefused()).map(m -> m.key()).contains("refund.error.voidElsewhere");
        Refunds.Preview preview = b.refunds().preview(found, List.of(1), dev.counterpoint.protocol.RefundKind.REFUND);

        RefundReceipt refund = b.refunds().refund(r.receiptNo(), List.of(1), zhang, zhang);
        assertThat(List.of(refund.grossFen(), refund.payableFen(), refund.pointsClawedBack()))
                .containsExactly(preview.grossFen(), preview.payableFen(), preview.pointsClawedBack());
        sync(b);
        assertThat(refund.grossFen()).isEqualTo(6_000);
        assertThat(verdicts("checkout.refunded")).containsExactly("ACCEPTED");
        assertThat(officePoints()).isEqualTo(before - 60);
        sync(a);
        assertThat(points(a, member.id())).isEqualTo(officePoints());
        // Both stores hold the purchase as head office does, net of the refund made at the other one.
        assertThat(taken(a, r.receiptNo())).isEqualTo(taken(b, r.receiptNo())).isEqualTo("6000 FALSE");
        assertThat(figure(a)).isEqualTo(figure(b)).isEqualTo(officeFigure());

        // The store that made it, offline, refunds the same line: head office keeps the first and raises the second.
        // The store that made it asks head office before refunding: the line was refunded elsewhere, so it is refused.
        long events = office.officeLong("SELECT COUNT(*) FROM refund");
        assertThat(a.refunds().find(r.receiptNo()).refunded()).as("as head office knows it").containsExactly(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.refunds().refund(r.receiptNo(), List.of(1), li, li))
                .hasMessage("refund.error.lineRefunded");
        assertThat(office.officeLong("SELECT COUNT(*) FROM refund")).isEqualTo(events);
        // A refund of the same line that reaches head office anyway (made offline) is a conflict for the owner.
        RefundReceipt rest = a.refunds().refund(r.receiptNo(), List.of(2), li, li);
        sync(a);
        assertThat(rest.complete()).isTrue();
        ObjectNode again = payload("checkout.refunded").put("refund_id", UUID.randomUUID().toString())
                .put("refund_no", "S001-T1-777777");
        assertThat(pushOne("checkout.refunded", again).path("verdict").asText()).isEqualTo("CONFLICT");
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'REFUND_CONFLICT' AND subject = ?",
                "S001-T1-777777")).isEqualTo(1);
    }

    /** What is taken back of a receipt's purchase at a store, "refunded_fen voided". */
    private static String taken(TerminalWiring t, String receiptNo) {
        return t.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT refunded_fen || ' ' || voided FROM purchase WHERE receipt_no = :r").bind("r", receiptNo)
                .mapTo(String.class).one());
    }

    private long figure(TerminalWiring t) {
        return t.database().jdbi().withHandle(h -> t.tierLedger().figure(h, member.id(), t.ruleSetRepository().active(h),
                OffsetDateTime.now(t.clock()).plusMinutes(1)));
    }

    private long officeFigure() {
        return office.officeLong("SELECT COALESCE(SUM(total_fen - refunded_fen), 0) FROM purchase WHERE member_id = ?",
                member.id());
    }

    @Test
    void aVoidReachesEveryStoreThatKeepsTheMembersHistoryAndAStoreThatJoinsLater() {
        CheckoutReceipt r = a.checkouts().complete(new CheckoutRequest(member.id(), null,
                List.of(new PurchaseLine("BEAN", "咖啡豆", 2, 500_000_000L)), CheckoutRequest.CouponChoice.NONE, 0, 0), li);
        engine(b).fetchHistory(member.id());
        sync(a, b);
        assertThat(taken(b, r.receiptNo())).isEqualTo("0 FALSE");
        assertThat(b.memberSummaryService().byId(member.id()).orElseThrow().tags())
                .contains(dev.counterpoint.loyalty.SegmentTag.HIGH_VALUE);

        a.refunds().voidCheckout(r.receiptNo(), li, li);
        sync(a, b);
        assertThat(taken(a, r.receiptNo())).isEqualTo(taken(b, r.receiptNo())).isEqualTo("500000000 TRUE");
        assertThat(figure(a)).isEqualTo(figure(b)).isEqualTo(officeFigure());
        var atB = b.memberSummaryService().byId(member.id()).orElseThrow();
        assertThat(atB.tags()).doesNotContain(dev.counterpoint.loyalty.SegmentTag.HIGH_VALUE);
        assertThat(atB.recentPurchases()).filteredOn(p -> p.receiptNo() != null && p.receiptNo().equals(r.receiptNo()))
                .singleElement().satisfies(p -> assertThat(p.voided()).isTrue());

        // A store that first serves the member afterwards gets the purchase with what was taken back of it.
        TerminalWiring c = office.terminal(tmp.resolve("c"), "S003", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        sync(c);
        assertThat(engine(c).fetchHistory(member.id())).isTrue();
        sync(c);
        assertThat(taken(c, r.receiptNo())).isEqualTo("500000000 TRUE");
        assertThat(figure(c)).isEqualTo(officeFigure());
    }

    @Test
    void headOfficeStaffReachTheStoreAndCanSignIn() {
        new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).saveStaff(office.json.createObjectNode()
                .put("staff_id", "boss").put("name", "老板").put("role", "owner").putNull("store_id").put("pin", "112233"));
        new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes()).saveStaff(office.json.createObjectNode()
                .put("staff_id", "s2cashier").put("name", "收银").put("role", "cashier").put("store_id", "S002").put("pin", "445566"));
        sync(a, b);

        assertThat(a.staffAccounts().authenticate("boss", "112233", StaffRole.OWNER).id()).isEqualTo("boss");
        assertThat(a.staffAccounts().find("s2cashier")).as("another store's account stays there").isEmpty();
        assertThat(b.staffAccounts().authenticate("s2cashier", "445566").role()).isEqualTo(StaffRole.CASHIER);
        // A store's own accounts went up and are known there; one store cannot take another's staff id.
        assertThat(office.officeLong("SELECT COUNT(*) FROM staff WHERE id = 'li' AND store_id = 'S001'")).isEqualTo(1);
        ObjectNode steal = office.json.createObjectNode().put("staff_id", "zhang").put("store_id", "S001").put("name", "冒名")
                .put("role", "OWNER").put("pin_hash", "pbkdf2-sha256:600000:AAAAAAAAAAAAAAAAAAAAAA==:"
                        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").put("active", true)
                .put("updated_at", "2026-03-10T10:00:00+08:00").putNull("updated_by");
        assertThat(pushOne("staff.account", steal).path("detail").asText()).contains("belongs to S002");
    }

    @Test
    void forgedCheckoutsAndRefundsAreRefusedAndChangeNothing() {
        Coupon welcome = coupon("WELCOME");
        CheckoutReceipt real = a.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(),
                new CheckoutRequest.CouponChoice.Code(welcome.code()), 0, 0), li);
        ObjectNode sent = payload("checkout.completed");
        // Not yet pushed: each forgery below is a variant of the real event, pushed first.
        assertRejected("checkout.completed", fresh(sent).put("points_earned", 7_000).put("earning_base_fen", 79_000)
                .put("gross_fen", 80_000).put("payable_fen", 79_000).set("lines", lines(80_000)),
                "points_earned 7000 is not what rule set 2 gives NORMAL for 79000 fen (790)");
        assertRejected("checkout.completed", fresh(sent).put("receipt_no", "S002-T1-000001"), "receipt_no S002-T1-000001 is not");
        assertRejected("checkout.completed", fresh(sent).put("staff_id", "nobody"), "staff nobody is not an account of store S001");
        ObjectNode bigger = fresh(sent);
        ((ObjectNode) bigger.get("coupon")).put("discount_fen", 5_000);
        bigger.put("discount_fen", 5_000).put("payable_fen", 3_000).put("earning_base_fen", 3_000).put("points_earned", 30);
        assertRejected("checkout.completed", bigger, "coupon " + welcome.code() + " gives 1000 fen");
        ObjectNode notHers = fresh(sent);
        Coupon other = b.database().jdbi().inTransaction(h -> b.couponService().issue(h,
                b.memberService().enrol("别人", "13900009999", null).id(),
                b.couponRepository().template(h, "WELCOME").orElseThrow(), "trigger:WELCOME"));
        sync(b);
        ((ObjectNode) notHers.get("coupon")).put("coupon_code", other.code()).put("coupon_id", other.id().toString());
        assertRejected("checkout.completed", notHers, "coupon " + other.code() + " belongs to another member");
        assertRejected("checkout.completed", fresh(sent).put("tier_after", "DIAMOND")
                .put("tier_event_id", UUID.randomUUID().toString()), "does not reach DIAMOND's threshold 800000 in rule set 2");

        sync(a);
        assertThat(verdicts("checkout.completed")).containsOnlyOnce("ACCEPTED").filteredOn("ACCEPTED"::equals).hasSize(1);
        RefundReceipt refund = a.refunds().refund(real.receiptNo(), List.of(), li, li);
        ObjectNode r = payload("checkout.refunded");
        assertRejected("checkout.refunded", fresh(r).put("refund_id", UUID.randomUUID().toString())
                .put("checkout_id", UUID.randomUUID().toString()), "checkout " + real.receiptNo() + " is unknown at head office");
        assertRejected("checkout.refunded", fresh(r).put("payable_fen", 7_500).put("discount_fen", 500), "refund "
                + refund.refundNo() + " does not take back its lines' shares");
        Staff cashier = a.staffAccounts().add(li, "wu", "吴", StaffRole.CASHIER, "975310");
        sync(a); // the cashier's account reaches head office (and the real refund, accepted)
        assertRejected("checkout.refunded", fresh(r).put("refund_id", UUID.randomUUID().toString()).put("manager_id", cashier.id()),
                "staff wu is a CASHIER, not a MANAGER");
        assertThat(verdicts("checkout.refunded")).filteredOn("ACCEPTED"::equals).hasSize(1);
    }

    private String officeTier() {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT tier FROM member WHERE id = :m").bind("m", member.id())
                .mapTo(String.class).one());
    }

    private static String tillTier(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> h.createQuery("SELECT tier FROM member WHERE id = :m").bind("m", m)
                .mapTo(String.class).one());
    }

    /** The tier perks the till's trigger issued the member, code and status, at head office or at a till. */
    private List<String> perks(org.jdbi.v3.core.Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT code || ' ' || status FROM coupon WHERE member_id = :m AND issued_by = 'trigger:TIER_PERK'
                ORDER BY code""").bind("m", member.id()).mapTo(String.class).list());
    }

    @Test
    void aVoidThatTakesBackItsCheckoutsTierRaiseLeavesTheTierAndPerkAtHeadOfficeAsAtTheTill() {
        CheckoutReceipt typo = a.checkouts().complete(new CheckoutRequest(member.id(), 1_000_000_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), li);
        a.memberUpkeep().bringUpToDate(member.id()); // the Diamond perk, as the counter issues it after the sale
        sync(a);
        assertThat(officeTier()).isEqualTo("DIAMOND");
        assertThat(perks(office.jdbi())).hasSize(1).allMatch(p -> p.endsWith(" ISSUED"));

        a.refunds().voidCheckout(typo.receiptNo(), li, li);
        sync(a);

        assertThat(verdicts("checkout.refunded")).containsExactly("ACCEPTED");
        assertThat(officeTier()).isEqualTo("NORMAL").isEqualTo(tillTier(a, member.id()));
        assertThat(perks(office.jdbi())).hasSize(1).allMatch(p -> p.endsWith(" VOID"))
                .isEqualTo(perks(a.database().jdbi()));
        assertThat(officePoints()).isEqualTo(points(a, member.id()));
    }

    @Test
    void aVoidLoweringATierItsCheckoutDidNotRaiseOrFurtherThanTheRestAllowsIsRefused() {
        Coupon welcome = coupon("WELCOME");
        CheckoutReceipt typo = a.checkouts().complete(new CheckoutRequest(member.id(), 1_000_000_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), li);
        a.memberUpkeep().bringUpToDate(member.id());
        CheckoutReceipt small = a.checkouts().complete(new CheckoutRequest(member.id(), 1_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), li);
        a.refunds().voidCheckout(small.receiptNo(), li, li);
        ObjectNode smallVoid = payload("checkout.refunded");
        assertThat(smallVoid.get("upgrade_undone").isNull()).isTrue();
        sync(a);
        assertThat(officeTier()).isEqualTo("DIAMOND");

        // A void of a checkout that raised nothing cannot take the member down.
        ObjectNode forged = smallVoid.deepCopy();
        forged.putObject("upgrade_undone").put("tier_event_id", UUID.randomUUID().toString()).put("from_tier", "DIAMOND")
                .put("to_tier", "NORMAL").put("figure", 0).putArray("perks_voided");
        assertRejected("checkout.refunded", forged, "checkout " + small.receiptNo() + " raised no tier to DIAMOND");

        a.refunds().voidCheckout(typo.receiptNo(), li, li);
        ObjectNode real = payload("checkout.refunded");
        ObjectNode kept = real.deepCopy();
        ((ObjectNode) kept.get("upgrade_undone")).put("figure", 900_000);
        assertRejected("checkout.refunded", kept, "figure 900000 keeps DIAMOND in rule set 2, not NORMAL");
        ObjectNode notAPerk = real.deepCopy();
        ((ObjectNode) notAPerk.get("upgrade_undone")).putArray("perks_voided").add(welcome.code());
        assertRejected("checkout.refunded", notAPerk, "coupon " + welcome.code() + " is not a tier perk issued to the"
                + " member since checkout " + typo.receiptNo());
        assertThat(officeTier()).isEqualTo("DIAMOND");

        sync(a);
        assertThat(officeTier()).isEqualTo("NORMAL");
    }

    @Test
    void aTamperedOrMissingAuditEntryBreaksTheChainAtHeadOfficeWhichRaisesIt() {
        a.staffAccounts().add(li, "wu", "吴", StaffRole.CASHIER, "975310");
        a.staffAccounts().add(li, "zhou", "周", StaffRole.CASHIER, "975311");
        sync(a);
        assertThat(office.officeLong("SELECT COUNT(*) FROM audit_entry WHERE store_id = 'S001' AND intact")).isEqualTo(3);
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'AUDIT_CHAIN_BROKEN'")).isZero();

        // An entry changed before it was sent (its hash no longer matches its content).
        a.staffAccounts().add(li, "qian", "钱", StaffRole.CASHIER, "975312");
        a.database().jdbi().useHandle(h -> h.execute("""
                UPDATE outbox_event SET payload = REPLACE(payload, '"name":"钱"', '"name":"孙"')
                WHERE type = 'audit.recorded' AND pushed_at IS NULL"""));
        sync(a);
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'AUDIT_CHAIN_BROKEN' AND state = 'OPEN' "
                + "AND subject = 'S001/T1'")).isEqualTo(1);
        String detail = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT detail FROM sync_exception WHERE kind = 'AUDIT_CHAIN_BROKEN'").mapTo(String.class).one());
        assertThat(detail).contains("\"seq\":4", "does not give its hash");
        assertThat(office.officeLong("SELECT COUNT(*) FROM audit_entry WHERE NOT intact")).isEqualTo(1);
    }

    // ---- forged events pushed with a's credential ----

    private ObjectNode payload(String type) {
        String p = a.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = :t ORDER BY terminal_seq DESC LIMIT 1").bind("t", type)
                .mapTo(String.class).one());
        try {
            return (ObjectNode) office.json.readTree(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy under new ids, so it is a new checkout. */
    private ObjectNode fresh(ObjectNode real) {
        ObjectNode p = real.deepCopy();
        if (p.has("purchase_id")) {
            p.put("checkout_id", UUID.randomUUID().toString()).put("purchase_id", UUID.randomUUID().toString())
                    .put("receipt_no", "S001-T1-9" + (seq % 100_000));
        }
        return p;
    }

    private JsonNode lines(long amount) {
        return office.json.createArrayNode().add(office.json.createObjectNode().putNull("sku").putNull("category")
                .put("qty", 1).put("amount_fen", amount));
    }

    private List<Long> state() {
        List<Long> out = new ArrayList<>();
        for (String table : List.of("points_entry", "sv_entry", "purchase", "coupon_redemption", "checkout", "refund",
                "change_log")) {
            out.add(office.officeLong("SELECT COUNT(*) FROM " + table));
        }
        return out;
    }

    private void assertRejected(String type, ObjectNode payload, String reason) {
        List<Long> before = state();
        JsonNode verdict = pushOne(type, payload);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("REJECTED");
        assertThat(verdict.path("detail").asText()).contains(reason);
        assertThat(state()).isEqualTo(before);
    }

    private JsonNode pushOne(String type, ObjectNode payload) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", UUID.randomUUID().toString());
        e.put("store_id", "S001");
        e.put("terminal_id", "T1");
        e.put("terminal_seq", ++seq);
        e.put("hlc", System.currentTimeMillis() << 16);
        e.put("type", type);
        e.put("payload", payload);
        return client(a).push(batch(a, new ArrayList<>(List.of(e)))).path("verdicts").get(0);
    }
}
