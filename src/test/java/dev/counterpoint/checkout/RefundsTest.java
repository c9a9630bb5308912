package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.report.ZReportService;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Voids and refunds reverse every effect of what they take back, in one transaction, with a manager's approval. */
class RefundsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T02:00:00Z"), SHANGHAI);
    TerminalWiring ctx;
    Member member;
    Staff manager;
    Staff cashier;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        manager = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        cashier = ctx.staffAccounts().add(manager, "wu", "吴", StaffRole.CASHIER, "135790");
        ctx.database().jdbi().useTransaction(h -> {
            ctx.pointsLedger().append(h, member.id(), 1_000, PointsKind.OPENING, LocalDate.of(2027, 6, 30), null,
                    OffsetDateTime.now(clock), ctx.hlc().now());
            ctx.storedValueLedger().append(h, member.id(), 5_000, StoredValueKind.OPENING, null, OffsetDateTime.now(clock),
                    ctx.hlc().now());
        });
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    private Coupon coupon(String template) {
        return ctx.database().jdbi().inTransaction(h -> ctx.couponService().issue(h, member.id(),
                ctx.couponRepository().template(h, template).orElseThrow(), "trigger:" + template));
    }

    private long points() {
        return ctx.database().queryLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry");
    }

    private long storedValue() {
        return ctx.database().queryLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry");
    }

    private Coupon.Status status(Coupon c) {
        return ctx.database().jdbi().withHandle(h -> ctx.couponRepository().findById(h, c.id())).orElseThrow().status();
    }

    private CheckoutReceipt checkout(Coupon c, long points, long sv, PurchaseLine... lines) {
        return ctx.checkouts().complete(new CheckoutRequest(member.id(), null, List.of(lines),
                c == null ? CheckoutRequest.CouponChoice.NONE : new CheckoutRequest.CouponChoice.Code(c.code()), points, sv),
                cashier);
    }

    @Test
    void aVoidTheSameDayReversesEverythingAndLeavesTheSaleOutOfTheDay() {
        Coupon welcome = coupon("WELCOME");
        CheckoutReceipt r = checkout(welcome, 300, 1_000, new PurchaseLine("LATTE", "饮品", 2, 6_000));
        assertThat(points()).isEqualTo(1_000 - 300 + r.pointsEarned());
        ZReport before = ctx.database().jdbi().withHandle(h -> report(h));
        assertThat(before.checkouts()).isEqualTo(1);
        assertThat(before.salesFen()).isEqualTo(6_000);

        assertThatThrownBy(() -> ctx.refunds().voidCheckout(r.receiptNo(), cashier, cashier))
                .isInstanceOf(BusinessRuleException.class).hasMessage("staff.error.role");
        RefundReceipt v = ctx.refunds().voidCheckout(r.receiptNo(), cashier, manager);

        assertThat(v.kind()).isEqualTo(RefundKind.VOID);
        assertThat(v.complete()).isTrue();
        assertThat(v.discountFen()).isEqualTo(1_000);
        assertThat(v.pointsValueFen()).isEqualTo(300);
        assertThat(v.storedValueFen()).isEqualTo(1_000);
        assertThat(v.payableFen()).isEqualTo(6_000 - 1_000 - 300 - 1_000);
        assertThat(v.pointsReturned()).isEqualTo(300);
        assertThat(v.pointsClawedBack()).isEqualTo(r.pointsEarned());
        assertThat(v.couponRestored()).isTrue();
        assertThat(points()).isEqualTo(1_000);
        assertThat(storedValue()).isEqualTo(5_000);
        assertThat(status(welcome)).isEqualTo(Coupon.Status.ISSUED);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'checkout.refunded'")).isEqualTo(1);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'CHECKOUT_VOIDED' AND staff_id = 'li'"))
                .isEqualTo(1);
        // The returned points keep the expiry of the lot they were spent from.
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM points_entry WHERE kind = 'REVERSE' AND delta = 300 "
                + "AND lot_expires_on = DATE '2027-06-30'")).isEqualTo(1);

        ZReport after = ctx.database().jdbi().withHandle(h -> report(h));
        assertThat(after.sales()).isZero();
        assertThat(after.checkouts()).isZero();
        assertThat(after.couponsRedeemed()).isZero();
        assertThat(after.voids()).isEqualTo(1);
        assertThat(after.voidFen()).isEqualTo(6_000);
        assertThat(after.pointsReturned()).isEqualTo(300);
        assertThat(after.storedValueReturnedFen()).isEqualTo(1_000);

        assertThatThrownBy(() -> ctx.refunds().voidCheckout(r.receiptNo(), cashier, manager))
                .hasMessage("refund.error.voidAfterRefund");
        // The coupon can be used again.
        CheckoutReceipt again = checkout(welcome, 0, 0, new PurchaseLine(null, null, 1, 2_000));
        assertThat(again.discountFen()).isEqualTo(1_000);
    }

    @Test
    void aRefundLaterTakesBackChosenLinesAndTheLastRefundTheRestSoTheyAddUpToTheCheckout() {
        Coupon welcome = coupon("WELCOME");
        CheckoutReceipt r = checkout(welcome, 500, 1_700,
                new PurchaseLine("BEAN", "咖啡豆", 1, 3_333), new PurchaseLine("LATTE", "饮品", 1, 3_334),
                new PurchaseLine("CAKE", "甜点", 1, 3_333));
        clock.advance(Duration.ofDays(3));
        assertThatThrownBy(() -> ctx.refunds().voidCheckout(r.receiptNo(), cashier, manager))
                .hasMessage("refund.error.voidNotToday");

        RefundReceipt first = ctx.refunds().refund(r.receiptNo(), List.of(2), cashier, manager);
        assertThat(first.complete()).isFalse();
        assertThat(first.couponRestored()).as("the coupon stays used until the whole checkout is taken back").isFalse();
        assertThat(status(welcome)).isEqualTo(Coupon.Status.REDEEMED);
        assertThatThrownBy(() -> ctx.refunds().refund(r.receiptNo(), List.of(2), cashier, manager))
                .hasMessage("refund.error.lineRefunded");
        assertThatThrownBy(() -> ctx.refunds().refund(r.receiptNo(), List.of(4), cashier, manager))
                .hasMessage("refund.error.noLine");

        RefundReceipt rest = ctx.refunds().refund(r.receiptNo(), List.of(), cashier, manager);
        assertThat(rest.lines()).containsExactly(1, 3);
        assertThat(rest.complete()).isTrue();
        assertThat(first.grossFen() + rest.grossFen()).isEqualTo(r.grossFen());
        assertThat(first.discountFen() + rest.discountFen()).isEqualTo(r.discountFen());
        assertThat(first.pointsValueFen() + rest.pointsValueFen()).isEqualTo(r.pointsValueFen());
        assertThat(first.storedValueFen() + rest.storedValueFen()).isEqualTo(r.storedValueFen());
        assertThat(first.payableFen() + rest.payableFen()).isEqualTo(r.payableFen());
        assertThat(first.pointsReturned() + rest.pointsReturned()).isEqualTo(r.pointsRedeemed());
        assertThat(first.pointsClawedBack() + rest.pointsClawedBack()).isEqualTo(r.pointsEarned());
        assertThat(points()).isEqualTo(1_000);
        assertThat(storedValue()).isEqualTo(5_000);
        assertThat(status(welcome)).isEqualTo(Coupon.Status.ISSUED);
        assertThat(ctx.database().queryLong("SELECT refunded_fen FROM purchase")).isEqualTo(r.grossFen());
        assertThatThrownBy(() -> ctx.refunds().refund(r.receiptNo(), List.of(), cashier, manager))
                .hasMessage("refund.error.allRefunded");
    }

    @Test
    void earnedPointsAlreadySpentAreForgivenUnlessTheRulesLetTheBalanceGoBelowZeroAndACouponMayBeForfeit() {
        ctx.database().jdbi().useTransaction(h -> h.execute("DELETE FROM points_entry"));
        Coupon welcome = coupon("WELCOME");
        CheckoutReceipt r = checkout(welcome, 0, 0, new PurchaseLine(null, null, 1, 20_000));
        assertThat(r.pointsEarned()).isEqualTo(190);
        // The member spends most of them at once.
        ctx.checkouts().complete(new CheckoutRequest(member.id(), 2_000L, List.of(), CheckoutRequest.CouponChoice.NONE, 150, 0),
                cashier);
        assertThat(points()).isEqualTo(190 - 150 + 18);

        RefundReceipt refund = ctx.refunds().refund(r.receiptNo(), List.of(), cashier, manager);
        assertThat(refund.pointsClawedBack()).isEqualTo(58);
        assertThat(refund.pointsForgiven()).isEqualTo(190 - 58);
        assertThat(points()).as("never below zero under the default rules").isZero();

        RuleSet x = ctx.ruleSetService().active();
        ctx.ruleSetService().putInForce(new RuleSet(3, x.tierBasis(), x.tierThresholds(), x.tierReviewDate(), x.earnPermille(),
                x.pointsExpiry(), x.pointsLifetimeDays(), x.pointsPerYuanRedeemed(), x.pointsReminderDays(),
                x.birthdayWindowDays(), x.winBackAfterDays(), x.welcomeWithinDays(), x.historyDays(), x.offlineAllowanceFen(),
                x.topUpBonuses(), null, RuleSet.RefundCoupons.FORFEIT, true), "test");
        Coupon birthday = coupon("BIRTHDAY");
        CheckoutReceipt second = checkout(birthday, 0, 0, new PurchaseLine(null, null, 1, 10_000));
        ctx.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(), CheckoutRequest.CouponChoice.NONE,
                second.pointsEarned(), 0), cashier);
        long before = points();
        RefundReceipt below = ctx.refunds().refund(second.receiptNo(), List.of(), cashier, manager);
        assertThat(below.pointsForgiven()).isZero();
        assertThat(below.pointsClawedBack()).isEqualTo(second.pointsEarned());
        assertThat(points()).isEqualTo(before - second.pointsEarned()).isNegative();
        assertThat(below.couponRestored()).isFalse();
        assertThat(status(birthday)).isEqualTo(Coupon.Status.REDEEMED);
    }

    // ---- what the member panel makes of a sale taken back ----

    private MemberSummary panel() {
        return ctx.memberSummaryService().byId(member.id()).orElseThrow();
    }

    @Test
    void aVoidedSaleIsNoVisitTheProfileTheFavouritesOrTheLastVisitCount() {
        checkout(null, 0, 0, new PurchaseLine("LATTE", "饮品", 1, 3_000));
        clock.advance(Duration.ofDays(2));
        checkout(null, 0, 0, new PurchaseLine("LATTE", "饮品", 1, 3_000));
        LocalDate lastRealVisit = LocalDate.now(clock);
        clock.advance(Duration.ofDays(10));
        // ¥10,000,000 rung up by mistake, twice the same SKU (a favourite, were it counted), and voided at once
        CheckoutReceipt typo = checkout(null, 0, 0, new PurchaseLine("BEAN", "咖啡豆", 3, 500_000_000L),
                new PurchaseLine("BEAN", "咖啡豆", 3, 500_000_000L));
        assertThat(panel().tags()).contains(SegmentTag.HIGH_VALUE);
        assertThat(panel().lastVisit()).contains(LocalDate.now(clock));

        ctx.refunds().voidCheckout(typo.receiptNo(), cashier, manager);

        MemberSummary after = panel();
        assertThat(after.tags()).doesNotContain(SegmentTag.HIGH_VALUE);
        assertThat(after.lastVisit()).contains(lastRealVisit);
        assertThat(after.profile().rfm().frequency()).isEqualTo(2);
        assertThat(after.profile().averageTicketFen()).isEqualTo(3_000);
        assertThat(after.favourites()).extracting(Favourite::sku).containsExactly("LATTE");
        // still in the history, shown as voided
        assertThat(after.recentPurchases()).extracting(p -> p.voided()).containsExactly(true, false, false);
        assertThat(after.recentPurchases().get(0).receiptNo()).isEqualTo(typo.receiptNo());
    }

    @Test
    void aMemberWhoseOnlySalesThisYearWereVoidedWasLastSeenBeforeTheYear() {
        checkout(null, 0, 0, new PurchaseLine("LATTE", "饮品", 1, 3_000));
        LocalDate longAgo = LocalDate.now(clock);
        clock.advance(Duration.ofDays(400));
        CheckoutReceipt typo = checkout(null, 0, 0, new PurchaseLine(null, null, 1, 5_000));
        ctx.refunds().voidCheckout(typo.receiptNo(), cashier, manager);

        MemberSummary after = panel();
        assertThat(after.lastVisit()).contains(longAgo);
        assertThat(after.tags()).containsExactly(SegmentTag.DORMANT);
        assertThat(after.profile().rfm().frequency()).isZero();
        assertThat(after.profile().averageTicketFen()).isZero();
    }

    @Test
    void aRefundLeavesTheVisitWithWhatTheMemberKept() {
        CheckoutReceipt r = checkout(null, 0, 0, new PurchaseLine("BEAN", "咖啡豆", 1, 250_000),
                new PurchaseLine("LATTE", "饮品", 1, 3_000));
        assertThat(panel().tags()).contains(SegmentTag.HIGH_VALUE);
        clock.advance(Duration.ofDays(1));
        ctx.refunds().refund(r.receiptNo(), List.of(1), cashier, manager);

        MemberSummary after = panel();
        assertThat(after.tags()).doesNotContain(SegmentTag.HIGH_VALUE);
        assertThat(after.profile().averageTicketFen()).isEqualTo(3_000);
        assertThat(after.lastVisit()).contains(LocalDate.now(clock).minusDays(1));
        assertThat(after.profile().rfm().frequency()).isEqualTo(1);
    }

    @Test
    void anUnknownReceiptIsRefusedOfflineAndNothingIsWritten() {
        long events = ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event");
        assertThatThrownBy(() -> ctx.refunds().refund("S009-T9-000001", List.of(), cashier, manager))
                .hasMessage("refund.error.unknownOffline");
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
    }

    @Test
    void aPreviewSaysWhatTheRefundThenDoesAndWritesNothing() {
        Coupon welcome = coupon("WELCOME");
        CheckoutReceipt r = checkout(welcome, 500, 1_700,
                new PurchaseLine("BEAN", "咖啡豆", 1, 3_333), new PurchaseLine("LATTE", "饮品", 1, 3_334),
                new PurchaseLine("CAKE", "甜点", 1, 3_333));
        assertThat(ctx.refunds().lastReceiptNo()).contains(r.receiptNo());
        long events = ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event");
        long entries = ctx.database().queryLong("SELECT COUNT(*) FROM points_entry");

        Refunds.Found found = ctx.refunds().find(" " + r.receiptNo() + " ");
        assertThat(found.receiptNo()).isEqualTo(r.receiptNo());
        assertThat(found.fromOffice()).isFalse();
        assertThat(found.member()).map(Member::displayName).contains("王芳");
        assertThat(found.items()).extracting(PurchaseLine::sku).containsExactly("BEAN", "LATTE", "CAKE");
        assertThat(found.refunded()).isEmpty();
        assertThat(found.voidRefused()).isEmpty();
        Refunds.Preview line2 = ctx.refunds().preview(found, List.of(2), RefundKind.REFUND);
        Refunds.Preview voided = ctx.refunds().preview(found, List.of(), RefundKind.VOID);
        assertThat(voided.lines()).containsExactly(1, 2, 3);
        assertThat(voided.coupon()).isEqualTo(Refunds.CouponFate.RESTORED);
        assertThat(voided.grossFen()).isEqualTo(r.grossFen());
        assertThat(line2.coupon()).isEqualTo(Refunds.CouponFate.STAYS_USED);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM points_entry")).isEqualTo(entries);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM refund")).isZero();

        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> ctx.refunds().preview(found, List.of(), RefundKind.VOID))
                .hasMessage("refund.error.voidNotToday");
        RefundReceipt first = ctx.refunds().refund(r.receiptNo(), List.of(2), cashier, manager);
        assertThat(figures(first)).isEqualTo(figures(line2));

        Refunds.Found again = ctx.refunds().find(r.receiptNo());
        assertThat(again.refunded()).containsExactly(2);
        assertThat(again.voidRefused()).map(m -> m.key()).contains("refund.error.voidNotToday");
        assertThatThrownBy(() -> ctx.refunds().preview(again, List.of(2), RefundKind.REFUND))
                .hasMessage("refund.error.lineRefunded");
        Refunds.Preview rest = ctx.refunds().preview(again, List.of(), RefundKind.REFUND);
        assertThat(rest.lines()).containsExactly(1, 3);
        assertThat(rest.complete()).isTrue();
        assertThat(rest.coupon()).isEqualTo(Refunds.CouponFate.RESTORED);
        RefundReceipt last = ctx.refunds().refund(r.receiptNo(), List.of(), cashier, manager);
        assertThat(figures(last)).isEqualTo(figures(rest));
        assertThat(ctx.refunds().find(r.receiptNo()).allRefunded()).isTrue();
        assertThat(ctx.refunds().find(r.receiptNo()).voided()).as("refunded line by line, not voided").isFalse();
        assertThat(ctx.refunds().lastReceiptNo()).as("the last checkout, not the last refund").contains(r.receiptNo());
    }

    @Test
    void pointsEarnedAreTakenBackFromThePointsTheSameRefundGivesBackAndThePreviewKnowsIt() {
        // All 1,000 points are spent on the checkout; the 55 it earned are spent at once on the next.
        CheckoutReceipt r = checkout(null, 1_000, 0, new PurchaseLine(null, null, 1, 6_000));
        ctx.checkouts().complete(new CheckoutRequest(member.id(), 1_000L, List.of(), CheckoutRequest.CouponChoice.NONE,
                r.pointsEarned(), 0), cashier);
        long before = points();

        Refunds.Preview preview = ctx.refunds().preview(ctx.refunds().find(r.receiptNo()), List.of(), RefundKind.REFUND);
        assertThat(preview.pointsReturned()).isEqualTo(1_000);
        assertThat(preview.pointsClawedBack()).as("taken from the lot the refund opens again").isEqualTo(r.pointsEarned());
        assertThat(preview.pointsForgiven()).isZero();
        RefundReceipt done = ctx.refunds().refund(r.receiptNo(), List.of(), cashier, manager);
        assertThat(figures(done)).isEqualTo(figures(preview));
        assertThat(points()).isEqualTo(before + 1_000 - r.pointsEarned());
    }

    @Test
    void aReceiptNumberIsCheckedAndARefundNumberIsToldApart() {
        CheckoutReceipt r = checkout(null, 0, 0, new PurchaseLine(null, null, 1, 2_000));
        RefundReceipt v = ctx.refunds().voidCheckout(r.receiptNo(), cashier, manager);
        assertThatThrownBy(() -> ctx.refunds().find("  ")).hasMessage("refund.error.receiptRequired");
        assertThatThrownBy(() -> ctx.refunds().find("S001-T1\n000001")).hasMessage("refund.error.receiptInvalid");
        assertThatThrownBy(() -> ctx.refunds().find("9".repeat(65))).hasMessage("refund.error.receiptInvalid");
        assertThatThrownBy(() -> ctx.refunds().find(v.refundNo()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.userMessage().args())
                        .containsExactly(v.refundNo(), r.receiptNo()))
                .hasMessage("refund.error.isRefund");
    }

    // ---- a tier raise taken back with its void (decision 0091) ----

    private Tier tier() {
        return Tier.valueOf(ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT tier FROM member WHERE id = :m")
                .bind("m", member.id()).mapTo(String.class).one()));
    }

    /** The tier perks the till's trigger issued the member, by status. */
    private List<String> perks() {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT status FROM coupon WHERE member_id = :m AND issued_by = 'trigger:TIER_PERK' ORDER BY issued_at")
                .bind("m", member.id()).mapTo(String.class).list());
    }

    private com.fasterxml.jackson.databind.JsonNode lastRefundEvent() {
        try {
            String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT payload FROM outbox_event WHERE type = 'checkout.refunded' ORDER BY terminal_seq DESC LIMIT 1")
                    .mapTo(String.class).one());
            return ctx.json().readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checkout of one line, and the counter's upkeep after it (which issues a new tier's perk). */
    private CheckoutReceipt sale(long fen) {
        CheckoutReceipt r = checkout(null, 0, 0, new PurchaseLine(null, null, 1, fen));
        ctx.memberUpkeep().bringUpToDate(member.id());
        return r;
    }

    @Test
    void aVoidOfTheCheckoutThatRaisedTheTierPutsItBackAndVoidsTheUnusedPerk() {
        CheckoutReceipt typo = sale(1_000_000_000L); // ¥10,000,000 rung up by mistake
        assertThat(typo.tierAfter()).isEqualTo(Tier.DIAMOND);
        assertThat(tier()).isEqualTo(Tier.DIAMOND);
        assertThat(perks()).containsExactly("ISSUED");
        Refunds.Found found = ctx.refunds().find(typo.receiptNo());
        assertThat(found.voided()).isFalse();
        Refunds.Preview preview = ctx.refunds().preview(found, List.of(), RefundKind.VOID);
        assertThat(preview.tierBackTo()).isEqualTo(Tier.NORMAL);
        assertThat(preview.perksVoided()).isEqualTo(1);
        assertThat(ctx.refunds().preview(found, List.of(), RefundKind.REFUND).upgradeUndoneMessage())
                .as("a refund takes no tier back").isEmpty();
        assertThat(tier()).as("a preview writes nothing").isEqualTo(Tier.DIAMOND);
        assertThat(perks()).containsExactly("ISSUED");

        RefundReceipt v = ctx.refunds().voidCheckout(typo.receiptNo(), cashier, manager);

        // the preview said what the void then did, in the same words
        assertThat(preview.upgradeUndoneMessage().map(m -> m.format(Locale.ENGLISH)))
                .contains("Tier back to Standard; 1 perk coupon voided.")
                .isEqualTo(v.upgradeUndoneMessage().map(m -> m.format(Locale.ENGLISH)));
        assertThat(ctx.refunds().find(typo.receiptNo()).voided()).isTrue();
        assertThat(tier()).isEqualTo(Tier.NORMAL);
        assertThat(perks()).containsExactly("VOID");
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM tier_event WHERE reason = 'UPGRADE_VOIDED' "
                + "AND from_tier = 'DIAMOND' AND to_tier = 'NORMAL' AND figure = 0")).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode undone = lastRefundEvent().path("upgrade_undone");
        assertThat(undone.path("from_tier").asText()).isEqualTo("DIAMOND");
        assertThat(undone.path("to_tier").asText()).isEqualTo("NORMAL");
        assertThat(undone.path("perks_voided")).hasSize(1);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'CHECKOUT_VOIDED'")).isEqualTo(1);
        // Seen again, the member is not given the perk anew.
        ctx.memberUpkeep().bringUpToDate(member.id());
        assertThat(perks()).containsExactly("VOID");
    }

    @Test
    void aVoidGoesBackToTheHighestTierTheRestStillReachesAndAPerkUsedMeanwhileStaysUsed() {
        sale(400_000); // Gold (¥3,000); the Gold perk issued
        clock.advance(Duration.ofDays(1));
        CheckoutReceipt raise = sale(500_000); // Diamond at ¥9,000; the perk issued again for the new tier
        assertThat(raise.tierBefore()).isEqualTo(Tier.GOLD);
        assertThat(perks()).containsExactly("ISSUED", "ISSUED");
        String newest = ctx.database().jdbi().withHandle(h -> h.createQuery("""
                SELECT code FROM coupon WHERE issued_by = 'trigger:TIER_PERK' ORDER BY issued_at DESC LIMIT 1""")
                .mapTo(String.class).one());
        checkout(ctx.database().jdbi().withHandle(h -> ctx.couponRepository().findByCode(h, newest)).orElseThrow(), 0, 0,
                new PurchaseLine(null, null, 1, 1_000));
        Refunds.Preview preview = ctx.refunds().preview(ctx.refunds().find(raise.receiptNo()), List.of(),
                RefundKind.VOID);
        assertThat(preview.tierBackTo()).isEqualTo(Tier.GOLD);
        assertThat(preview.perksVoided()).as("the Diamond perk was used meanwhile").isZero();

        ctx.refunds().voidCheckout(raise.receiptNo(), cashier, manager);

        // ¥4,010 left: still Gold, never lower than the checkout found the member.
        assertThat(tier()).isEqualTo(Tier.GOLD);
        assertThat(perks()).containsExactly("ISSUED", "REDEEMED");
        assertThat(lastRefundEvent().path("upgrade_undone").path("perks_voided")).isEmpty();
    }

    @Test
    void aVoidWhereOtherSalesKeepTheFigureAtTheTierKeepsIt() {
        CheckoutReceipt raise = sale(800_000); // Diamond
        ctx.checkoutService().recordSale(member.id(), 900_000L, List.of()); // already Diamond: raises nothing
        Refunds.Found found = ctx.refunds().find(raise.receiptNo());
        assertThat(ctx.refunds().preview(found, List.of(), RefundKind.VOID).tierBackTo()).isNull();
        ctx.refunds().voidCheckout(raise.receiptNo(), cashier, manager);
        assertThat(tier()).isEqualTo(Tier.DIAMOND);
        assertThat(perks()).containsExactly("ISSUED");
        assertThat(lastRefundEvent().get("upgrade_undone").isNull()).isTrue();
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM tier_event WHERE reason = 'UPGRADE_VOIDED'")).isZero();
    }

    @Test
    void aRefundOfTheCheckoutThatRaisedTheTierKeepsItUntilTheReview() {
        CheckoutReceipt raise = sale(1_000_000_000L);
        clock.advance(Duration.ofDays(1));
        ctx.refunds().refund(raise.receiptNo(), List.of(), cashier, manager);
        assertThat(tier()).isEqualTo(Tier.DIAMOND);
        assertThat(perks()).containsExactly("ISSUED");
        assertThat(lastRefundEvent().get("upgrade_undone").isNull()).isTrue();
    }

    /** What a preview and the refund receipt both say. */
    private static List<Object> figures(Refunds.Preview p) {
        return List.of(p.kind(), p.lines(), p.complete(), p.grossFen(), p.discountFen(), p.pointsValueFen(),
                p.storedValueFen(), p.payableFen(), p.pointsReturned(), p.pointsClawedBack(), p.pointsForgiven(),
                p.coupon() == Refunds.CouponFate.RESTORED);
    }

    private static List<Object> figures(RefundReceipt r) {
        return List.of(r.kind(), r.lines(), r.complete(), r.grossFen(), r.discountFen(), r.pointsValueFen(),
                r.storedValueFen(), r.payableFen(), r.pointsReturned(), r.pointsClawedBack(), r.pointsForgiven(),
                r.couponRestored());
    }

    private ZReport report(org.jdbi.v3.core.Handle h) {
        return new ZReportService(SHANGHAI, "S001", "T1").build(h, LocalDate.now(clock));
    }
}
