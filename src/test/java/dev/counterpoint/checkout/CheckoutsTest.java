package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
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

/** One checkout as one transaction: the arithmetic, the one event, and nothing written when anything is refused. */
class CheckoutsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), SHANGHAI);

    @TempDir
    Path dir;
    TerminalWiring ctx;
    Member member;
    Staff cashier;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        cashier = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        ctx.database().jdbi().useTransaction(h -> {
            ctx.pointsLedger().append(h, member.id(), 1_000, PointsKind.OPENING, LocalDate.of(2027, 6, 30), null,
                    OffsetDateTime.now(CLOCK), ctx.hlc().now());
            ctx.storedValueLedger().append(h, member.id(), 5_000, StoredValueKind.OPENING, null, OffsetDateTime.now(CLOCK),
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

    private long count(String sql) {
        return ctx.database().queryLong(sql);
    }

    @Test
    void theTopCouponThenPointsThenStoredValueAndPointsAreEarnedOnWhatIsLeft() {
        Coupon winBack = coupon("WIN_BACK"); // ¥15 off ¥80
        coupon("WELCOME"); // ¥10 off: the best for ¥80 is the win-back coupon
        long eventsBefore = count("SELECT COUNT(*) FROM outbox_event");

        CheckoutReceipt r = ctx.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(),
                CheckoutRequest.CouponChoice.BEST, 500, 2_000), cashier);

        assertThat(r.grossFen()).isEqualTo(8_000);
        assertThat(r.couponCode()).isEqualTo(winBack.code());
        assertThat(r.discountFen()).isEqualTo(1_500);
        assertThat(r.pointsRedeemed()).isEqualTo(500);
        assertThat(r.pointsValueFen()).isEqualTo(500);
        assertThat(r.storedValueFen()).isEqualTo(2_000);
        assertThat(r.payableFen()).isEqualTo(8_000 - 1_500 - 500 - 2_000);
        // Stored value was bought with money that earned nothing: by default it earns here.
        assertThat(r.earningBaseFen()).isEqualTo(6_000);
        assertThat(r.pointsEarned()).isEqualTo(60);
        assertThat(r.pointsBalance()).isEqualTo(1_000 - 500 + 60);
        assertThat(r.storedValueBalanceFen()).isEqualTo(3_000);
        assertThat(r.receiptNo()).isEqualTo("S001-T1-000001");

        // One event for everything, written with every ledger row.
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(eventsBefore + 1);
        JsonNode e = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'checkout.completed'").mapTo(String.class).one()
                .transform(this::tree));
        assertThat(e.path("coupon").path("coupon_code").asText()).isEqualTo(winBack.code());
        assertThat(e.path("points_entries")).hasSize(1);
        assertThat(e.path("staff_id").asText()).isEqualTo("li");
        assertThat(e.path("payable_fen").asLong()).isEqualTo(4_000);
        assertThat(count("SELECT COUNT(*) FROM coupon_redemption")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM purchase WHERE total_fen = 8000")).isEqualTo(1);
        assertThat(count("SELECT COALESCE(SUM(delta), 0) FROM points_entry")).isEqualTo(560);
        assertThat(count("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry")).isEqualTo(3_000);
    }

    @Test
    void whenTheRulesSayStoredValueDoesNotEarnTheEarningBaseLeavesItOut() {
        RuleSet r = ctx.ruleSetService().active();
        ctx.ruleSetService().putInForce(new RuleSet(3, r.tierBasis(), r.tierThresholds(), r.tierReviewDate(),
                r.earnPermille(), r.pointsExpiry(), r.pointsLifetimeDays(), r.pointsPerYuanRedeemed(), r.pointsReminderDays(),
                r.birthdayWindowDays(), r.winBackAfterDays(), r.welcomeWithinDays(), r.historyDays(), r.offlineAllowanceFen(),
                r.topUpBonuses(), false, null, null), "test");

        CheckoutReceipt receipt = ctx.checkouts().complete(new CheckoutRequest(member.id(), 5_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 2_000), cashier);

        assertThat(receipt.earningBaseFen()).isEqualTo(3_000);
        assertThat(receipt.pointsEarned()).isEqualTo(30);
        assertThat(ctx.ruleSetRepository().toJson(ctx.ruleSetService().active())).contains("\"storedValueEarns\" : false");
    }

    @Test
    void aCouponThatNeedsABasketIsCheckedOnTheBasketAndNeverAppliesToNothing() {
        Coupon beans = ctx.couponService().issueManual(member.id(), "BEANS_10", "li"); // ¥10 off ¥60 with 咖啡豆
        long before = count("SELECT COUNT(*) FROM outbox_event");

        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(),
                new CheckoutRequest.CouponChoice.Code(beans.code()), 0, 0), cashier))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.category");
        // The best coupon is looked for among those this basket allows: none, so none is used.
        CheckoutReceipt plain = ctx.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(),
                CheckoutRequest.CouponChoice.BEST, 0, 0), cashier);
        assertThat(plain.couponCode()).isNull();
        assertThat(plain.discountFen()).isZero();

        CheckoutReceipt withBeans = ctx.checkouts().complete(new CheckoutRequest(member.id(), null,
                List.of(new PurchaseLine("BEAN-01", "咖啡豆", 1, 6_000), new PurchaseLine("LATTE", "饮品", 1, 2_000)),
                CheckoutRequest.CouponChoice.BEST, 0, 0), cashier);
        assertThat(withBeans.couponCode()).isEqualTo(beans.code());
        assertThat(withBeans.grossFen()).isEqualTo(8_000);
        assertThat(withBeans.payableFen()).isEqualTo(7_000);
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'checkout.completed'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(before + 2);
    }

    @Test
    void anythingRefusedWritesNothing() {
        Coupon welcome = coupon("WELCOME");
        long events = count("SELECT COUNT(*) FROM outbox_event");
        long points = count("SELECT COALESCE(SUM(delta), 0) FROM points_entry");
        long sv = count("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry");

        // More points than the member has, after the coupon was already taken in the same transaction.
        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), 50_000L, List.of(),
                new CheckoutRequest.CouponChoice.Code(welcome.code()), 1_100, 0), cashier))
                .hasMessage("redeem.error.pointsInsufficient");
        // Points worth more than is left to pay.
        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), 1_500L, List.of(),
                new CheckoutRequest.CouponChoice.Code(welcome.code()), 600, 0), cashier))
                .hasMessage("checkout.error.pointsOverBill");
        // Stored value beyond the bill, and beyond the balance.
        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), 1_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 1_001), cashier)).hasMessage("checkout.error.storedValueOverBill");
        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), 9_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 5_001), cashier)).hasMessage("redeem.error.storedValueInsufficient");
        // Lines that do not add up to the amount, and no basket at all.
        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), 100L,
                List.of(new PurchaseLine("A", null, 1, 99)), CheckoutRequest.CouponChoice.NONE, 0, 0), cashier))
                .hasMessage("sale.error.linesMismatch");
        assertThatThrownBy(() -> ctx.checkouts().complete(new CheckoutRequest(member.id(), null, List.of(),
                CheckoutRequest.CouponChoice.BEST, 0, 0), cashier)).hasMessage("sale.error.amountRequired");

        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
        assertThat(count("SELECT COALESCE(SUM(delta), 0) FROM points_entry")).isEqualTo(points);
        assertThat(count("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry")).isEqualTo(sv);
        assertThat(count("SELECT COUNT(*) FROM coupon_redemption")).isZero();
        assertThat(count("SELECT COUNT(*) FROM purchase")).isZero();
        assertThat(ctx.database().jdbi().withHandle(h -> ctx.couponRepository().findById(h, welcome.id())).orElseThrow()
                .status()).isEqualTo(Coupon.Status.ISSUED);
    }

    @Test
    void aCheckoutThatReachesATierUpgradesTheMemberInTheSameTransaction() {
        CheckoutReceipt r = ctx.checkouts().complete(new CheckoutRequest(member.id(), 120_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), cashier);
        assertThat(r.upgraded()).isTrue();
        assertThat(r.pointsEarned()).as("earned at the tier held when the checkout began").isEqualTo(1_200);
        assertThat(count("SELECT COUNT(*) FROM tier_event WHERE reason = 'UPGRADE'")).isEqualTo(1);
    }

    @Test
    void aCheckoutThatRaisesTheTierIssuesTheNewTiersPerkInItsTransactionOnce() {
        CheckoutReceipt r = ctx.checkouts().complete(new CheckoutRequest(member.id(), 400_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), cashier);
        assertThat(r.tierAfter()).isEqualTo(Tier.GOLD);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE template_id = 'GOLD_PERK' AND status = 'ISSUED'"
                + " AND issued_by = 'trigger:TIER_PERK'")).isEqualTo(1);
        // its event after the checkout's, so head office sees the tier raised before the tier's perk
        List<String> events = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT type FROM outbox_event ORDER BY terminal_seq").mapTo(String.class).list());
        assertThat(events).containsSubsequence("checkout.completed", "coupon.issued");
        assertThat(events.subList(events.indexOf("checkout.completed"), events.size()))
                .containsExactly("checkout.completed", "coupon.issued");
        // neither the upkeep nor a later sale the same day issues it again
        assertThat(ctx.memberUpkeep().bringUpToDate(member.id()).issued()).extracting(c -> c.template().id())
                .doesNotContain("GOLD_PERK");
        ctx.checkouts().complete(new CheckoutRequest(member.id(), 10_000L, List.of(), CheckoutRequest.CouponChoice.NONE,
                0, 0), cashier);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE template_id = 'GOLD_PERK'")).isEqualTo(1);
    }

    @Test
    void aRaiseToATierWithoutPerksIssuesNothing() {
        CheckoutReceipt r = ctx.checkouts().complete(new CheckoutRequest(member.id(), 120_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), cashier);
        assertThat(r.tierAfter()).isEqualTo(Tier.SILVER);
        assertThat(count("SELECT COUNT(*) FROM coupon")).isZero();
    }

    /**
     * The system clock reads nanoseconds, the database keeps microseconds and rounds: a sale at .970976824 was kept at
     * .970977, after the instant its own tier figure was read up to, and did not count for its own upgrade.
     */
    @Test
    void aCheckoutAtAnInstantFinerThanTheDatabaseKeepsCountsForItsOwnUpgrade(@TempDir Path other) {
        Clock nanos = Clock.fixed(Instant.parse("2026-11-23T06:00:00.970976824Z"), SHANGHAI);
        try (TerminalWiring fine = TerminalWiring.inMemory(other, Locale.ENGLISH, nanos)) {
            Member m = fine.memberService().enrol("刘洋", "139 0013 5678", null);
            Staff manager = fine.staffAccounts().addFirst("wu", "吴店长", StaffRole.MANAGER, "246810");
            CheckoutReceipt r = fine.checkouts().complete(new CheckoutRequest(m.id(), 120_000L, List.of(),
                    CheckoutRequest.CouponChoice.NONE, 0, 0), manager);
            assertThat(r.upgraded()).as("figure %s", r.tierFigure()).isTrue();
        }
    }

    private JsonNode tree(String s) {
        try {
            return ctx.json().readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
