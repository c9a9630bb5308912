package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.batch;
import static dev.counterpoint.sync.OfficeSyncContract.client;
import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events a stolen till could send with its real credential, over HTTP: each is refused with a reason and changes
 * nothing, and every terminal goes on syncing afterwards.
 */
class ForgedEventsTest {
    @TempDir
    Path tmp;
    OfficeHarness office;
    TerminalWiring a;
    TerminalWiring b;
    Member victim;
    long seq = 1_000_000;

    @BeforeEach
    void start() {
        office = OfficeHarness.h2();
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        a = office.terminal(tmp.resolve("a"), "S001", "T1", clock);
        b = office.terminal(tmp.resolve("b"), "S002", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        victim = b.memberService().enrol("陈思远", "13800001111", null);
        b.checkoutService().topUp(victim.id(), 280_000L);
        b.checkoutService().recordSale(victim.id(), 50_000L, List.of());
        engine(b).syncOnce();
        engine(a).syncOnce();
    }

    @AfterEach
    void stop() {
        office.close();
    }

    @Test
    void aTierOutsideTheEnumIsRejectedAndEveryTerminalStillSyncs() {
        ObjectNode p = payload().put("tier_event_id", UUID.randomUUID().toString()).put("member_id", victim.id().toString())
                .put("from_tier", "NORMAL").put("to_tier", "HACKED").put("reason", "REVIEW_UPGRADE").put("basis", "SPEND")
                .put("figure", 0).put("review_date", "2026-01-01").put("rule_set_version", 2);
        assertRejected("tier.reviewed", p, now(), "bad to_tier: HACKED");
    }

    @Test
    void aTopUpAboveTheCountersMaximumIsRejected() {
        ObjectNode p = payload().put("entry_id", UUID.randomUUID().toString()).putNull("bonus_entry_id")
                .put("member_id", victim.id().toString()).put("amount_fen", 1_000_000_000_000_000L).put("bonus_fen", 0)
                .putNull("balance_after_fen").putNull("rule_set_version").put("topped_up_at", "2026-03-10T10:00:00+08:00");
        assertRejected("stored_value.topped_up", p, now(), "amount_fen 1000000000000000 is above the most allowed, 10000000");
    }

    @Test
    void aSaleEarningMorePointsThanAnyRulesGiveIsRejectedEvenForAnotherStoresMember() {
        assertRejected("sale.recorded", sale("S001-T1-000777", 10_000, 1_000_000_000_000L, "NORMAL"), now(),
                "points_earned 1000000000000 is not what rule set 2 gives NORMAL for 10000 fen (100)");
        ObjectNode unknownRules = sale("S001-T1-000776", 10_000, 1_000_000_000_000L, "NORMAL").put("rule_set_version", 99);
        assertRejected("sale.recorded", unknownRules, now(),
                "points_earned 1000000000000 is more than any rule set gives for 10000 fen");
    }

    @Test
    void aSaleUnderAnotherTerminalsReceiptIsRejected() {
        assertRejected("sale.recorded", sale("S002-T1-000777", 10_000, 100, "NORMAL"), now(),
                "receipt_no S002-T1-000777 is not one of the sender's (S001-T1-…)");
    }

    @Test
    void aSaleAboveTheMembersTierStandsButEarnsAtTheTierHeadOfficeHolds() {
        long before = office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", victim.id());
        JsonNode reply = push("sale.recorded", sale("S001-T1-000778", 10_000, 200, "DIAMOND"), now());
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        // Diamond's rate gave 200; the member is Standard at head office, whose rate gives 100: 100 are taken back.
        assertThat(office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", victim.id()))
                .isEqualTo(before + 100);
        assertThat(office.officeLong("SELECT COUNT(*) FROM points_entry WHERE member_id = ? AND kind = 'ADJUST' AND delta = -100",
                victim.id())).isEqualTo(1);
        assertThat(engine(b).syncOnce()).isNotNull();
        assertThat(OfficeSyncContract.points(b, victim.id())).isEqualTo(before + 100);
    }

    /** Two stores that each made the demo store hold the same coupon codes: the second's is refused by name. */
    @Test
    void aCouponUnderACodeHeadOfficeAlreadyHoldsIsRejectedByName() {
        String code = owner().issueCoupon(victim.cardCode(), "WELCOME", java.time.LocalDate.of(2026, 3, 1),
                java.time.LocalDate.of(2026, 4, 30)).code();
        ObjectNode p = payload().put("coupon_id", UUID.randomUUID().toString()).put("coupon_code", code)
                .put("template_id", "WELCOME").put("member_id", victim.id().toString()).put("valid_from", "2026-03-10")
                .put("valid_until", "2026-04-10").put("issued_by", "manager:li").put("issued_at", "2026-03-10T10:00:00+08:00");
        assertRejected("coupon.issued", p, now(), "coupon_code " + code + " is already another coupon's at head office");
    }

    @Test
    void anImportedPurchaseForAnotherStoresMemberIsRejected() {
        ObjectNode p = importedPurchase(victim.id(), "S002-T1-000999", 10_000_000_000L, 10_000_000_000L);
        assertRejected("purchase.imported", p, now(), "member " + victim.id() + " is store S002's: only its home store");
    }

    @Test
    void anImportedPurchaseOfTheSendersOwnMemberStaysInItsRangeAndWithinItsRuleSetsPoints() {
        Member own = a.memberService().enrol("林雨桐", "13800002222", null);
        engine(a).syncOnce();
        assertRejected("purchase.imported", importedPurchase(own.id(), "S002-T1-000999", 10_000, 0), now(),
                "receipt_no S002-T1-000999 is in store S002's range, not the sender's (S001-T1-…)");
        office.server.registrations().addTerminal("S001", "T2");
        assertRejected("purchase.imported", importedPurchase(own.id(), "S001-T2-000001", 10_000, 0), now(),
                "receipt_no S001-T2-000001 is in terminal S001-T2's range");
        // Rule set 2 gives Diamond, its highest rate, 200 points for ¥100.
        assertRejected("purchase.imported", importedPurchase(own.id(), null, 10_000, 300), now(),
                "points_earned 300 is more than rule set 2 gives any tier for 10000 fen (200)");
        assertRejected("purchase.imported", importedPurchase(own.id(), null, 10_000_000_000L, 10_000_000_000L), now(),
                "points_earned 10000000000 is more than rule set 2 gives any tier for 10000000000 fen");
        assertRejected("purchase.imported", importedPurchase(own.id(), null, 10_000, 100).put("rule_set_version", 99), now(),
                "rule_set_version 99 is unknown at head office");
        // The demo history's own range, a legacy number and the points the rule set gives: taken.
        for (ObjectNode fine : List.of(importedPurchase(own.id(), "S001-DEMO-0000001", 10_000, 100),
                importedPurchase(own.id(), "2024-05-000123", 10_000, 0))) {
            assertThat(push("purchase.imported", fine, now()).path("verdicts").get(0).path("verdict").asText())
                    .isEqualTo("ACCEPTED");
        }
    }

    @Test
    void anImportedMembersOpeningBalancesAboveTheCapsAreRejected() {
        ObjectNode p = enrolment("S001", null).put("tier", "DIAMOND").put("source", "IMPORT")
                .put("opening_points", 10_000_000_000L).put("opening_points_expire_on", "2027-03-10")
                .put("points_entry_id", UUID.randomUUID().toString()).put("opening_stored_value_fen", 0).putNull("sv_entry_id");
        assertRejected("member.imported", p, now(), "opening_points 10000000000 is above the most allowed, 10000000");
        ObjectNode sv = enrolment("S001", null).put("source", "IMPORT").put("opening_points", 0)
                .putNull("opening_points_expire_on").putNull("points_entry_id")
                .put("opening_stored_value_fen", 10_000_000_000L).put("sv_entry_id", UUID.randomUUID().toString());
        assertRejected("member.imported", sv, now(), "opening_stored_value_fen 10000000000 is above the most allowed, 10000000");
    }

    @Test
    void aCouponIssuedOutsideWhatTheOwnersOwnIssueAllowsIsRejected() {
        assertRejected("coupon.issued", couponIssued("BEANS_10", "head-office", "2026-04-08"), now(),
                "issued_by head-office is not a store's issuer");
        assertRejected("coupon.issued", couponIssued("BEANS_10", "S002", "2026-04-08"), now(),
                "issued_by S002 is not a store's issuer");
        assertRejected("coupon.issued", couponIssued("NOPE_TEMPLATE", "manager:li", "2026-04-08"), now(),
                "template_id NOPE_TEMPLATE is unknown at head office");
        assertRejected("coupon.issued", couponIssued("GOLD_PERK", "trigger:TIER_PERK", "2026-04-08"), now(),
                "template GOLD_PERK serves GOLD members and above; member " + victim.id() + " is NORMAL");
        assertRejected("coupon.issued", couponIssued("BEANS_10", "manager:li", "2099-12-31"), now(),
                "valid_from 2026-03-10 to valid_until 2099-12-31 is not within 366 days of its issue on 2026-03-10");
        // What a till sends for a manager's coupon: taken.
        JsonNode reply = push("coupon.issued", couponIssued("BEANS_10", "manager:li", "2026-04-08"), now());
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void aVoidOfAnotherMembersOrAnotherStoresCouponIsRejected() {
        String hq = owner().issueCoupon(victim.cardCode(), "WELCOME", java.time.LocalDate.of(2026, 3, 1),
                java.time.LocalDate.of(2026, 4, 30)).code();
        Member own = a.memberService().enrol("林雨桐", "13800002222", null);
        engine(a).syncOnce();
        assertRejected("coupon.voided", couponVoided(hq, own.id()), now(), "coupon " + hq + " is not member " + own.id() + "'s");
        assertRejected("coupon.voided", couponVoided(hq, victim.id()), now(),
                "coupon " + hq + " is held for a member store S001 does not keep");
        assertRejected("coupon.voided", couponVoided("NOPE0000", victim.id()), now(), "coupon NOPE0000 is unknown at head office");
        assertThat(office.officeLong("SELECT COUNT(*) FROM coupon WHERE code = ? AND status = 'ISSUED'", hq)).isOne();
    }

    @Test
    void aTillsOwnVoidOfACouponItIssuedStillPasses() {
        Member own = a.memberService().enrol("林雨桐", "13800002222", null);
        var coupon = a.couponService().issueManual(own.id(), "BEANS_10", "li");
        a.couponService().voidCoupon(coupon.code(), "given by mistake", "li");
        assertThat(engine(a).syncOnce().verdicts()).doesNotContainKey("REJECTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM coupon WHERE code = ? AND status = 'VOID'", coupon.code())).isOne();
    }

    @Test
    void aStoreCannotLowerATier() {
        ObjectNode p = payload().put("tier_event_id", UUID.randomUUID().toString()).put("member_id", victim.id().toString())
                .put("from_tier", "GOLD").put("to_tier", "NORMAL").put("reason", "REVIEW_DOWNGRADE").put("basis", "SPEND")
                .put("figure", 0).put("review_date", "2026-01-01").put("rule_set_version", 2);
        assertRejected("tier.reviewed", p, now(), "a tier is lowered only by head office's review");
    }

    @Test
    void anEnrolmentForAnotherStoreIsRejected() {
        ObjectNode p = enrolment("S002", "13900009999");
        assertRejected("member.enrolled", p, now(), "home_store S002 is not the sender's store S001");
    }

    @Test
    void anEditStampedFarInTheFutureIsRejectedAndHeadOfficesClockStaysSane() {
        ObjectNode p = payload().put("member_id", victim.id().toString());
        p.putObject("fields").put("name", "LOCKED");
        JsonNode reply = assertRejected("member.updated", p, Long.MAX_VALUE - 1, "hlc is");
        long officeHlc = reply.path("office_hlc").asLong();
        assertThat(officeHlc).isPositive();
        assertThat(Hlc.millisOf(officeHlc)).isLessThan(System.currentTimeMillis() + 60_000);
        assertThat(b.memberService().findByCode(victim.cardCode()).orElseThrow().displayName()).isEqualTo("陈思远");
    }

    @Test
    void aMissingFieldIsRejectedNeverDefaulted() {
        ObjectNode p = sale("S001-T1-000779", 10_000, 100, "NORMAL");
        p.remove("points_earned");
        assertRejected("sale.recorded", p, now(), "missing points_earned");
        ObjectNode text = sale("S001-T1-000780", 10_000, 100, "NORMAL");
        text.put("total_fen", "10000");
        assertRejected("sale.recorded", text, now(), "bad total_fen");
        assertRejected("member.exploded", payload(), now(), "unknown event type member.exploded");
    }

    @Test
    void aVictimsPhoneHashWithoutItsNumberNeverReachesTheVictimsAccount() {
        String victimHmac = b.database().jdbi().withHandle(h -> h.createQuery("SELECT phone_hmac FROM member WHERE id = :id")
                .bind("id", victim.id()).mapTo(String.class).one());
        long victimStoredValue = OfficeSyncContract.storedValue(b, victim.id());
        // The hash, seen by every store, with an early stamp and no box holding the number behind it.
        ObjectNode p = enrolment("S001", null).put("phone_hmac", victimHmac);
        JsonNode reply = push("member.enrolled", p, 1);
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        UUID forged = UUID.fromString(p.path("member_id").asText());

        // Not merged: the forged card is a member of its own, with nothing, and without the victim's phone.
        assertThat(owner().memberByCard("2900099999999")).get().satisfies(m -> assertThat(m)
                .containsEntry("member_id", forged.toString()).containsEntry("stored_value_fen", 0L).containsEntry("points", 0L));
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND phone_hmac IS NULL AND status = 'ACTIVE'",
                forged)).isEqualTo(1);
        assertThat(owner().memberByCard(victim.cardCode())).get().satisfies(m -> assertThat(m)
                .containsEntry("member_id", victim.id().toString()).containsEntry("stored_value_fen", victimStoredValue));
        assertThat(owner().exceptions("OPEN")).noneSatisfy(e -> assertThat(e).containsEntry("subject", forged.toString()));
        engine(a).syncOnce();
        engine(b).syncOnce();
        // Another store receives the forged card as a member of its own, never as the victim.
        assertThat(b.memberService().findByCode("2900099999999")).get().extracting(Member::id).isEqualTo(forged);
        assertThat(b.memberService().search("13800001111")).extracting(Member::id).containsExactly(victim.id());
    }

    @Test
    void aCardTwoMembersHoldNamesNeitherForAnErasureAnExportOrALookUp() {
        // A forged enrolment under the victim's card number (stores draw numbers at random: two offline could also).
        ObjectNode p = enrolment("S001", null).put("card_code", victim.cardCode());
        assertThat(push("member.enrolled", p, now()).path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable byCard : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> owner().erase(victim.cardCode()), () -> owner().export(victim.cardCode()),
                () -> owner().memberByCard(victim.cardCode()))) {
            assertThatThrownBy(byCard).isInstanceOf(dev.counterpoint.office.OfficeException.class)
                    .hasMessageContaining("is held by 2 members at head office");
        }
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE erased_at IS NOT NULL")).isZero();
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND display_name = '陈思远'", victim.id()))
                .isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotABatchIsRefusedWhole() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("store_id", "S001");
        event.put("terminal_id", "T1");
        event.put("type", "sale.recorded");
        long before = office.officeLong("SELECT COUNT(*) FROM inbox");
        assertThatThrownBy(() -> client(a).push(batch(a, List.of(event))))
                .hasMessageContaining("400");
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(before);
        engine(a).syncOnce();
    }

    @Test
    void aChangeATerminalCannotUseIsParkedReportedAndThePullMovesOn() {
        int rulesBefore = activeRules(b);
        String active = b.database().jdbi().withHandle(h -> h.createQuery("SELECT body FROM rule_set ORDER BY version DESC LIMIT 1")
                .mapTo(String.class).one());
        ObjectNode bad = (ObjectNode) readTree(active);
        bad.put("version", rulesBefore + 1).putObject("earnPermille").put("NORMAL", 2_000_000_000);
        // As an older head office could have published them: a rule set no counter can run, and a change missing a field.
        appendChange("rule_set.published", payload().put("version", rulesBefore + 1).put("body", bad.toString()));
        appendChange("points.entry", payload().put("entry_id", UUID.randomUUID().toString()));
        String coupon = owner().issueCoupon(victim.cardCode(), "WELCOME", java.time.LocalDate.of(2026, 3, 1),
                java.time.LocalDate.of(2026, 4, 30)).code();

        SyncReport report = engine(a).syncOnce();
        assertThat(report.parked()).isEqualTo(2);
        assertThat(activeRules(a)).isEqualTo(rulesBefore);
        List<String> reasons = a.database().jdbi().withHandle(h -> h.createQuery("SELECT reason FROM parked_change ORDER BY seq")
                .mapTo(String.class).list());
        assertThat(reasons).satisfiesExactly(
                        r -> assertThat(r).startsWith("rule set " + (rulesBefore + 1) + " is refused here"),
                        r -> assertThat(r).isEqualTo("missing member_id"));
        // The change after them was applied, the terminal keeps working, and the owner sees what was parked.
        int coupons = a.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM coupon WHERE code = :c")
                .bind("c", coupon).mapTo(Integer.class).one());
        assertThat(coupons).isEqualTo(1);
        a.checkoutService().recordSale(victim.id(), 1_000L, List.of());
        assertThat(engine(a).syncOnce().verdicts()).containsEntry("ACCEPTED", 1);
        assertThat(owner().exceptions("OPEN")).filteredOn(e -> "CHANGE_PARKED".equals(e.get("kind"))).hasSize(2);
        // The counter's status bar hears of them from the scheduler.
        assertThat(a.syncScheduler().runOnce().parked()).isEqualTo(2);
    }

    @Test
    void aRefundOfAPurchaseBeyondItsTotalOrAVoidOfNothingIsParkedAndThePurchaseKeptAsItWas() {
        a.checkoutService().recordSale(victim.id(), 5_000L, List.of());
        engine(a).syncOnce();
        UUID purchase = a.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM purchase WHERE member_id = :m AND total_fen = 5000").bind("m", victim.id())
                .mapTo(UUID.class).one());
        appendChange("purchase.refunded", payload().put("purchase_id", purchase.toString())
                .put("member_id", victim.id().toString()).put("refunded_fen", 5_001).put("voided", false));
        appendChange("purchase.refunded", payload().put("purchase_id", purchase.toString())
                .put("member_id", victim.id().toString()).put("refunded_fen", 0).put("voided", true));
        // one for a purchase this store does not hold changes nothing and is not parked
        appendChange("purchase.refunded", payload().put("purchase_id", UUID.randomUUID().toString())
                .put("member_id", victim.id().toString()).put("refunded_fen", 100).put("voided", false));

        assertThat(engine(a).syncOnce().parked()).isEqualTo(2);
        List<String> reasons = a.database().jdbi().withHandle(h -> h.createQuery("SELECT reason FROM parked_change ORDER BY seq")
                .mapTo(String.class).list());
        assertThat(reasons).containsExactly("refunded_fen 5001 is more than the purchase's total 5000",
                "refunded_fen: a voided purchase was taken back whole, not by nothing");
        String held = a.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT refunded_fen || ' ' || voided FROM purchase WHERE id = :p").bind("p", purchase)
                .mapTo(String.class).one());
        assertThat(held).isEqualTo("0 FALSE");
    }

    @Test
    void parkedReportsOfChangesNeverNumberedOrAlreadyReportedAreDroppedAndTheOpenOnesCapped() {
        long numbered = office.officeLong("SELECT last_seq FROM feed_lock WHERE id = 1");
        // A seq head office has not numbered cannot have been pulled; seq 1 twice is one exception.
        client(a).push(parked(List.of(numbered + 1, numbered + 1_000_000, 1L, 1L)));
        client(a).push(parked(List.of(1L)));
        assertThat(parkedExceptions()).extracting(e -> e.get("subject")).containsExactly("S001/T1/1");

        // Past the cap, the rest are counted in one exception, not one row each.
        for (int i = 0; i < 320; i++) {
            appendChange("points.entry", payload().put("entry_id", UUID.randomUUID().toString()));
        }
        long last = office.officeLong("SELECT last_seq FROM feed_lock WHERE id = 1");
        List<Long> seqs = new ArrayList<>();
        for (long s = last - 319; s <= last; s++) {
            seqs.add(s);
        }
        client(a).push(parked(seqs.subList(0, 310)));
        client(a).push(parked(seqs.subList(310, 320)));

        List<Map<String, Object>> open = parkedExceptions();
        assertThat(open).hasSize(301);
        Map<String, Object> more = open.stream().filter(e -> "S001/T1/more".equals(e.get("subject"))).findFirst().orElseThrow();
        JsonNode detail = (JsonNode) more.get("detail");
        assertThat(detail.path("more").asLong()).isEqualTo(21);
        assertThat(detail.path("last_seq").asLong()).isEqualTo(last);
        assertThat(detail.path("store_id").asText()).isEqualTo("S001");
    }

    private List<Map<String, Object>> parkedExceptions() {
        List<Map<String, Object>> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<Map<String, Object>> page = owner().exceptions("OPEN", after, OwnerApi.EXCEPTIONS_PAGE);
            all.addAll(page);
            if (page.size() < OwnerApi.EXCEPTIONS_PAGE) {
                break;
            }
            after = (String) page.get(page.size() - 1).get("id");
        }
        return all.stream().filter(e -> "CHANGE_PARKED".equals(e.get("kind"))).toList();
    }

    private static Map<String, Object> parked(List<Long> seqs) {
        return Map.of("events", List.of(), "parked", seqs.stream()
                .map(s -> Map.<String, Object>of("seq", s, "kind", "x", "reason", "A".repeat(200))).toList());
    }

    @Test
    void aNameWithATextDirectionOverrideIsRejected() {
        ObjectNode p = payload().put("member_id", victim.id().toString());
        p.putObject("fields").put("name", "陈\u202E远思");
        assertRejected("member.updated", p, now(), "fields.name holds a bidirectional text control");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE display_name = '陈思远'")).isEqualTo(1);
    }

    @Test
    void anEnrolmentWhoseNameHoldsAControlCharacterIsRejected() {
        ObjectNode p = enrolment("S001", null).put("name", "冒\u0007名");
        assertRejected("member.enrolled", p, now(), "name holds a control character");
        ObjectNode isolate = enrolment("S001", null).put("name", "冒\u2067名");
        assertRejected("member.enrolled", isolate, now(), "name holds a bidirectional text control");
    }

    @Test
    void aConsentOrProfileEditForAMemberTheStoreDoesNotKeepIsRejected() {
        ObjectNode consent = payload().put("member_id", victim.id().toString()).putNull("privacy_notice")
                .put("marketing_sms", true).putNull("marketing_wechat").put("recorded_at", "2026-03-10T10:00:00+08:00")
                .putNull("staff_id");
        assertRejected("member.consent", consent, now(),
                "member " + victim.id() + " is not kept by store S001: its consent is not the store's to record");
        ObjectNode edit = payload().put("member_id", victim.id().toString());
        edit.putObject("fields").put("name", "生日快乐！点击领取 http://x.example").put("birthday", "1990-03-12");
        assertRejected("member.updated", edit, now(),
                "member " + victim.id() + " is not kept by store S001: its profile is not the store's to edit");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member_consent WHERE member_id = ? AND channel = 'MARKETING_SMS'",
                victim.id())).isZero();
    }

    @Test
    void aConsentFromAStoreThatKeepsTheMemberIsTakenAsTheSendersAndOneNamingAnotherStoresStaffIsRejected() {
        client(a).history(List.of(victim.id())); // S001 shows the member: it keeps their history from now on
        ObjectNode p = payload().put("member_id", victim.id().toString()).putNull("privacy_notice").put("marketing_sms", true)
                .putNull("marketing_wechat").put("recorded_at", "2026-03-10T10:00:00+08:00").put("staff_id", "S002-staff");
        assertRejected("member.consent", p, now(), "staff S002-staff is not an account of store S001");
        ObjectNode unnamed = p.deepCopy().putNull("staff_id");
        JsonNode reply = push("member.consent", unnamed, now());
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        // The store and terminal recorded are the credential's, whatever the payload says.
        String recordedBy = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT store_id || '/' || terminal_id FROM member_consent WHERE member_id = :m AND channel = 'MARKETING_SMS'")
                .bind("m", victim.id()).mapTo(String.class).one());
        assertThat(recordedBy).isEqualTo("S001/T1");
        ObjectNode ahead = unnamed.deepCopy().put("recorded_at", "2099-01-01T00:00:00Z");
        assertRejected("member.consent", ahead, now(), "recorded_at 2099-01-01T00:00Z is ahead of head office's clock");
        ObjectNode nothing = unnamed.deepCopy().putNull("marketing_sms");
        assertRejected("member.consent", nothing, now(), "the consent changes nothing");
    }

    @Test
    void anUpgradeWhoseFigureDoesNotReachTheTierOrFromAStoreNotKeepingTheMemberIsRejected() {
        ObjectNode diamond = payload().put("tier_event_id", UUID.randomUUID().toString())
                .put("member_id", victim.id().toString()).put("from_tier", "NORMAL").put("to_tier", "DIAMOND")
                .put("reason", "REVIEW_UPGRADE").put("basis", "SPEND").put("figure", 0).put("review_date", "2026-01-01")
                .put("rule_set_version", 2);
        assertRejected("tier.reviewed", diamond, now(),
                "member " + victim.id() + " is not kept by store S001: its tier is not the store's to review");
        client(a).history(List.of(victim.id()));
        assertRejected("tier.reviewed", diamond.deepCopy().put("tier_event_id", UUID.randomUUID().toString()), now(),
                "figure 0 does not reach DIAMOND's threshold");
        // A review that "keeps" a tier head office holds lower raises it just the same.
        ObjectNode kept = diamond.deepCopy().put("tier_event_id", UUID.randomUUID().toString()).put("from_tier", "DIAMOND")
                .put("reason", "REVIEW_KEPT");
        assertRejected("tier.reviewed", kept, now(), "figure 0 does not reach DIAMOND's threshold");
        assertRejected("tier.reviewed", diamond.deepCopy().put("tier_event_id", UUID.randomUUID().toString())
                .put("rule_set_version", 99), now(), "rule_set_version 99 is unknown at head office");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'NORMAL'", victim.id())).isOne();
        // An offline store's own upgrade, its figure at Diamond's threshold (¥8,000 in rule set 2): taken.
        JsonNode reply = push("tier.reviewed", diamond.deepCopy().put("tier_event_id", UUID.randomUUID().toString())
                .put("figure", 800_000), now());
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'DIAMOND'", victim.id())).isOne();
    }

    @Test
    void aSaleRaisingATierWhoseFigureDoesNotReachItIsRejectedWhateverTierBeforeItNames() {
        ObjectNode diamond = sale("S001-T1-000781", 10_000, 100, "NORMAL").put("tier_after", "DIAMOND")
                .put("tier_event_id", UUID.randomUUID().toString()).put("tier_figure", 10_000);
        assertRejected("sale.recorded", diamond, now(), "figure 10000 does not reach DIAMOND's threshold 800000 in rule set 2");
        // A tier_before head office does not hold changes nothing: the raise is checked from the tier it holds.
        ObjectNode fromGold = sale("S001-T1-000782", 10_000, 150, "GOLD").put("tier_after", "DIAMOND")
                .put("tier_event_id", UUID.randomUUID().toString()).put("tier_figure", 10_000);
        assertRejected("sale.recorded", fromGold, now(), "figure 10000 does not reach DIAMOND's threshold");
        assertRejected("sale.recorded", diamond.deepCopy().put("purchase_id", UUID.randomUUID().toString())
                .put("receipt_no", "S001-T1-000783").put("rule_set_version", 99), now(),
                "rule_set_version 99 is unknown at head office: an upgrade is checked against its rule set");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'NORMAL'", victim.id())).isOne();
        // The same sale with the figure that reaches Diamond (¥8,000 in rule set 2) raises the tier.
        JsonNode reply = push("sale.recorded", sale("S001-T1-000784", 10_000, 100, "NORMAL").put("tier_after", "DIAMOND")
                .put("tier_event_id", UUID.randomUUID().toString()).put("tier_figure", 800_000), now());
        assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'DIAMOND'", victim.id())).isOne();
    }

    @Test
    void aRaiseStampedBeforeALaterSmallerOneIsTakenOnlyWhereHeadOfficesOwnFigureReachesIt() {
        long later = now();
        long earlier = later - (3_600_000L << 16);
        JsonNode silver = push("sale.recorded", sale("S001-T1-000791", 100_000, 1_000, "NORMAL").put("tier_after", "SILVER")
                .put("tier_event_id", UUID.randomUUID().toString()).put("tier_figure", 100_000), later);
        assertThat(silver.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'SILVER'", victim.id())).isOne();
        // Stamped before Silver, a ¥100 sale claiming a figure at Diamond's threshold: the sale is kept, but head
        // office's own figure (¥1,100) is far from Diamond, so the later Silver stands.
        JsonNode claimed = push("sale.recorded", sale("S001-T1-000792", 10_000, 100, "NORMAL").put("tier_after", "DIAMOND")
                .put("tier_event_id", UUID.randomUUID().toString()).put("tier_figure", 800_000), earlier);
        assertThat(claimed.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'SILVER'", victim.id())).isOne();
        // The same with purchases head office holds that reach it (¥8,100): Diamond, stamped after Silver.
        JsonNode real = push("sale.recorded", sale("S001-T1-000793", 700_000, 7_000, "NORMAL").put("tier_after", "DIAMOND")
                .put("tier_event_id", UUID.randomUUID().toString()).put("tier_figure", 800_000), earlier + 1);
        assertThat(real.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND tier = 'DIAMOND'", victim.id())).isOne();
        assertThat(office.officeLong("SELECT hlc FROM member_field WHERE member_id = ? AND field = 'tier'", victim.id()))
                .isGreaterThan(later);
    }

    @Test
    void afterAnErasureNoEditConsentOrEnrolmentBringsTheMembersDataBack() {
        owner().erase(victim.cardCode());
        engine(b).syncOnce();
        engine(a).syncOnce();

        ObjectNode edit = payload().put("member_id", victim.id().toString());
        edit.putObject("fields").put("name", "陈思远").put("birthday", "1990-01-01");
        assertRejected("member.updated", edit, now(), "member " + victim.id() + " was erased");
        ObjectNode consent = payload().put("member_id", victim.id().toString()).put("privacy_notice", true)
                .putNull("marketing_sms").putNull("marketing_wechat").put("recorded_at", "2026-03-10T10:00:00+08:00")
                .putNull("staff_id");
        assertRejected("member.consent", consent, now(), "member " + victim.id() + " was erased");
        ObjectNode again = enrolment("S001", null).put("member_id", victim.id().toString()).put("name", "陈思远");
        assertRejected("member.enrolled", again, now(), "member " + victim.id() + " was erased");
        // What a terminal erased before sending: refused with its reason, and kept without the data.
        ObjectNode tombstone = payload().put("member_id", victim.id().toString()).put("erased", true);
        assertRejected("member.updated", tombstone, now(), "the member's data was erased at the terminal");

        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND display_name = '' AND erased_at IS NOT NULL",
                victim.id())).isEqualTo(1);
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox WHERE payload LIKE '%陈思远%'")).isZero();
        assertThat(b.memberService().erasedCard(victim.cardCode())).isPresent();
        assertThat(a.memberService().erasedCard(victim.cardCode())).isPresent();
    }

    @Test
    void aTerminalIgnoresAnEditConsentOrEnrolmentItPullsForAnErasedMember() {
        owner().erase(victim.cardCode());
        engine(b).syncOnce();
        // As an older head office could have sent them, after the erasure.
        appendChange("member.profile", payload().put("member_id", victim.id().toString()).put("field", "name")
                .put("value", "陈思远").put("hlc", now() + 1));
        appendChange("member.consent", payload().put("member_id", victim.id().toString()).put("channel", "MARKETING_SMS")
                .put("granted", true).put("recorded_at", "2026-03-10T10:00:00+08:00").put("store_id", "S002")
                .put("terminal_id", "T1").putNull("staff_id").put("hlc", now() + 2));
        appendChange("member.enrolled", enrolment("S002", null).put("member_id", victim.id().toString()).put("name", "陈思远")
                .put("card_code", victim.cardCode()).put("enrolled_via", "COUNTER").put("hlc", now() + 3));

        SyncReport report = engine(b).syncOnce();

        assertThat(report.parked()).isZero();
        assertThat(b.memberService().findByCode(victim.cardCode())).isEmpty();
        assertThat(b.memberService().erasedCard(victim.cardCode())).isPresent();
        assertThat(b.memberService().consent(victim.id())).isEmpty();
        assertThat(b.database().queryLong("SELECT COUNT(*) FROM member WHERE display_name LIKE '%陈思远%'")).isZero();
    }

    @Test
    void aTagNamingNoManagerOfTheSendersStoreIsRejected() {
        b.staffAccounts().addFirst("zhang", "张店长", dev.counterpoint.protocol.StaffRole.MANAGER, "135790");
        engine(b).syncOnce();
        assertRejected("member.tagged", tagged(victim.id(), "VIP", true).put("staff_id", "zhang"), now(),
                "staff zhang is not an account of store S001");
        assertRejected("member.tagged", tagged(victim.id(), "VIP", true).put("staff_id", "nobody"), now(),
                "staff nobody is not an account of store S001");
    }

    @Test
    void aTagThatIsNotATagIsRejected() {
        manager();
        assertRejected("member.tagged", tagged(victim.id(), "high_value", true), now(), "tag is an automatic tag's name");
        assertRejected("member.tagged", tagged(victim.id(), "VIP\u202E", true), now(), "tag may hold only letters");
        assertRejected("member.tagged", tagged(victim.id(), "一二三四五六七八九十一二三四五六七", true), now(),
                "tag is longer than 16 characters");
        assertRejected("member.tagged", tagged(victim.id(), "Cafe\u0301", true), now(), "tag is not trimmed and in NFC");
        assertRejected("member.tagged", tagged(victim.id(), " VIP", true), now(), "tag is not trimmed and in NFC");
        ObjectNode noOn = tagged(victim.id(), "VIP", true);
        noOn.remove("on");
        assertRejected("member.tagged", noOn, now(), "missing on");
    }

    @Test
    void aTagForAnUnknownMemberInTheFutureOrAfterAnErasureIsRejected() {
        manager();
        UUID nobody = UUID.randomUUID();
        assertRejected("member.tagged", tagged(nobody, "VIP", true), now(), "unknown member " + nobody);
        assertRejected("member.tagged", tagged(victim.id(), "VIP", true).put("tagged_at", "2099-01-01T00:00:00Z"), now(),
                "tagged_at 2099-01-01T00:00Z is ahead of head office's clock");
        assertRejected("member.tagged", tagged(victim.id(), "VIP", true), Long.MAX_VALUE - 1, "hlc is");
        owner().erase(victim.cardCode());
        assertRejected("member.tagged", tagged(victim.id(), "VIP", true), now(), "member " + victim.id() + " was erased");
    }

    @Test
    void aTillSendingMoreThanTwentyTagsLeavesTheMemberWithTwentyAtHeadOffice() {
        manager();
        for (int i = 1; i <= 25; i++) {
            JsonNode reply = push("member.tagged", tagged(victim.id(), "t" + i, true), now() + i);
            assertThat(reply.path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        }
        assertThat(office.officeLong("SELECT COUNT(*) FROM member_tag WHERE member_id = ? AND tag_on", victim.id()))
                .isEqualTo(20);
        engine(b).syncOnce();
        assertThat(b.memberTags().of(victim.id())).hasSize(20);
    }

    private void manager() {
        a.staffAccounts().addFirst("li", "李店长", dev.counterpoint.protocol.StaffRole.MANAGER, "246810");
        engine(a).syncOnce();
    }

    private ObjectNode tagged(UUID member, String tag, boolean on) {
        return payload().put("member_id", member.toString()).put("tag", tag).put("on", on)
                .put("tagged_at", "2026-03-10T10:00:00+08:00").put("staff_id", "li");
    }

    // ---- helpers ----

    private void appendChange(String kind, ObjectNode payload) {
        office.jdbi().useTransaction(h -> {
            long seq = h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1 FOR UPDATE").mapTo(Long.class).one() + 1;
            h.createUpdate("""
                    INSERT INTO change_log(seq, kind, payload, created_at) VALUES (:s, :k, :p, CURRENT_TIMESTAMP)""")
                    .bind("s", seq).bind("k", kind).bind("p", payload.toString()).execute();
            h.createUpdate("UPDATE feed_lock SET last_seq = :s WHERE id = 1").bind("s", seq).execute();
        });
    }

    private static int activeRules(TerminalWiring t) {
        return t.database().jdbi().withHandle(h -> t.ruleSetRepository().active(h).version());
    }

    private JsonNode readTree(String text) {
        try {
            return office.json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes one forged event with a's credential and checks it was rejected, nothing changed, and sync still works. */
    private JsonNode assertRejected(String type, ObjectNode payload, long hlc, String reason) {
        List<Long> before = state();
        JsonNode reply = push(type, payload, hlc);
        JsonNode verdict = reply.path("verdicts").get(0);
        assertThat(verdict.path("verdict").asText()).isEqualTo("REJECTED");
        assertThat(verdict.path("detail").asText()).startsWith(reason);
        assertThat(state()).isEqualTo(before);
        assertThat(engine(a).syncOnce()).isNotNull();
        assertThat(engine(b).syncOnce()).isNotNull();
        return reply;
    }

    private JsonNode push(String type, ObjectNode payload, long hlc) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", UUID.randomUUID().toString());
        e.put("store_id", "S001");
        e.put("terminal_id", "T1");
        e.put("terminal_seq", ++seq);
        e.put("hlc", hlc);
        e.put("type", type);
        e.put("payload", payload);
        return client(a).push(batch(a, new ArrayList<>(List.of(e))));
    }

    /** What a forged event must not change: members, ledgers, purchases, coupons, profile stamps and the feed. */
    private List<Long> state() {
        List<Long> out = new ArrayList<>();
        for (String table : List.of("member", "points_entry", "sv_entry", "purchase", "coupon", "member_field", "member_tag",
                "change_log")) {
            out.add(office.officeLong("SELECT COUNT(*) FROM " + table));
        }
        out.add(office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry"));
        out.add(office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry"));
        return out;
    }

    private ObjectNode sale(String receipt, long total, long points, String tier) {
        ObjectNode p = payload().put("purchase_id", UUID.randomUUID().toString()).put("receipt_no", receipt)
                .put("member_id", victim.id().toString()).put("purchased_at", "2026-03-10T10:00:00+08:00")
                .put("total_fen", total);
        p.putArray("lines");
        return p.put("points_earned", points).put("points_entry_id", UUID.randomUUID().toString())
                .put("points_expire_on", "2027-03-10").put("tier_before", tier).put("tier_after", tier)
                .putNull("tier_event_id").put("tier_figure", 0).put("rule_set_version", 2);
    }

    @Test
    void aPhoneBoxGivesUpOnlyTheNumberItsMembersHashStandsFor() {
        java.security.PublicKey key = dev.counterpoint.protocol.PhoneBox.publicKey(office.server.phoneBoxes().publicKey());
        dev.counterpoint.member.Phones chain = new dev.counterpoint.member.Phones(
                java.util.HexFormat.of().parseHex(office.server.registrations().chainPhoneKey()));
        // The victim's number boxed under a new member's own hash: the enrolment stands, and the box never gives the
        // victim's number to the new member's access request.
        ObjectNode planted = enrolment("S001", chain.hmac("13812341111")).put("card_code", "2900099999981")
                .put("phone_box", dev.counterpoint.protocol.PhoneBox.seal(key, "13800001111"));
        assertThat(push("member.enrolled", planted, now()).path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(owner().export("2900099999981")).get().satisfies(doc -> {
            assertThat(doc.path("profile").path("phone_masked").asText()).isEqualTo("138****1111");
            assertThat(doc.path("profile").path("phone").isNull()).as("the box holds another member's number").isTrue();
        });
        // Its own number, boxed for head office: opened for the member's request.
        ObjectNode honest = enrolment("S001", chain.hmac("13812342222")).put("card_code", "2900099999982")
                .put("phone_masked", "138****2222").put("phone_box", dev.counterpoint.protocol.PhoneBox.seal(key, "13812342222"));
        assertThat(push("member.enrolled", honest, now()).path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        assertThat(owner().export("2900099999982")).get()
                .satisfies(doc -> assertThat(doc.path("profile").path("phone").asText()).isEqualTo("13812342222"));
        // The victim's hash with a box of another number: the box proves nothing, so the card stays apart, without
        // the phone, and the victim keeps their account.
        long victimStoredValue = OfficeSyncContract.storedValue(b, victim.id());
        ObjectNode joining = enrolment("S001", chain.hmac("13800001111")).put("card_code", "2900099999983")
                .put("phone_masked", "138****1111").put("phone_box", dev.counterpoint.protocol.PhoneBox.seal(key, "13812343333"));
        assertThat(push("member.enrolled", joining, now()).path("verdicts").get(0).path("verdict").asText()).isEqualTo("ACCEPTED");
        UUID joiner = UUID.fromString(joining.path("member_id").asText());
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND phone_hmac IS NULL AND phone_box IS NULL"
                + " AND status = 'ACTIVE'", joiner)).isOne();
        assertThat(owner().memberByCard(victim.cardCode())).get().satisfies(m -> assertThat(m)
                .containsEntry("member_id", victim.id().toString()).containsEntry("stored_value_fen", victimStoredValue));
        // Not a box at all: refused with the reason.
        assertRejected("member.enrolled", enrolment("S001", null).put("phone_box", "AAAA"), now(),
                "phone_box: not a phone box (base64 of 384 bytes)");
    }

    private ObjectNode couponIssued(String template, String issuedBy, String until) {
        return payload().put("coupon_id", UUID.randomUUID().toString()).put("coupon_code", "FORGED01")
                .put("template_id", template).put("member_id", victim.id().toString()).put("valid_from", "2026-03-10")
                .put("valid_until", until).put("issued_by", issuedBy).put("issued_at", "2026-03-10T10:00:00+08:00");
    }

    private ObjectNode couponVoided(String code, UUID member) {
        return payload().put("coupon_id", UUID.randomUUID().toString()).put("coupon_code", code)
                .put("member_id", member.toString()).put("reason", "forged").put("voided_by", "manager:li")
                .put("voided_at", "2026-03-10T10:00:00+08:00");
    }

    private ObjectNode importedPurchase(UUID member, String receipt, long total, long points) {
        ObjectNode p = payload().put("purchase_id", UUID.randomUUID().toString()).put("member_id", member.toString())
                .putNull("card_code").put("purchased_at", "2026-03-10T10:00:00+08:00").put("total_fen", total)
                .put("source", "IMPORT").put("receipt_no", receipt).put("points_earned", points);
        p.putArray("lines");
        if (points > 0) {
            return p.put("points_entry_id", UUID.randomUUID().toString()).put("points_expire_on", "2027-03-10")
                    .put("rule_set_version", 2);
        }
        return p.putNull("points_entry_id").putNull("points_expire_on").putNull("rule_set_version");
    }

    private ObjectNode enrolment(String home, String phoneHmac) {
        ObjectNode p = payload().put("member_id", UUID.randomUUID().toString()).put("card_code", "2900099999999")
                .put("name", "冒名").put("phone_hmac", phoneHmac).put("phone_masked", "138****1111").putNull("birthday")
                .put("tier", "NORMAL").put("home_store", home).put("enrolled_at", "2026-03-10T10:00:00+08:00");
        return p.put("source", "COUNTER");
    }

    private ObjectNode payload() {
        return office.json.createObjectNode();
    }

    private long now() {
        return System.currentTimeMillis() << 16;
    }

    private OwnerApi owner() {
        return new OwnerApi(office.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
    }
}
