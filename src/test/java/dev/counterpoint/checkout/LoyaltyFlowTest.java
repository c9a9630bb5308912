package dev.counterpoint.checkout;

import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.loyalty.RuleSetService;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loyalty engine through the real services and database, on a clock the test moves. */
class LoyaltyFlowTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate START = LocalDate.of(2026, 3, 10);

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(START.atTime(10, 0).atZone(ZONE).toInstant(), ZONE);
    TerminalWiring ctx;
    Member member;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        member = ctx.memberService().enrol("赵敏", "13600001234", null);
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    @Test
    void theSaleThatCrossesAThresholdAlreadyShowsTheNewTierAndTheRateChangesFromTheNextSale() {
        SaleReceipt first = ctx.checkoutService().recordSale(member.id(), 60_000L, List.of());
        assertThat(first.upgraded()).isFalse();

        SaleReceipt crossing = ctx.checkoutService().recordSale(member.id(), 40_000L, List.of());

        assertThat(crossing.tierBefore()).isEqualTo(Tier.NORMAL);
        assertThat(crossing.tierAfter()).isEqualTo(Tier.SILVER);
        assertThat(crossing.pointsEarned()).as("earned at the tier held when the sale began").isEqualTo(400);
        MemberSummary s = summary();
        assertThat(s.member().tier()).isEqualTo(Tier.SILVER);
        assertThat(s.tierProgress().next()).isEqualTo(Tier.GOLD);
        assertThat(s.tierProgress().needed()).isEqualTo(200_000);
        Map<String, Object> event = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT from_tier, to_tier, reason, figure FROM tier_event").mapToMap().one());
        assertThat(event).containsEntry("from_tier", "NORMAL").containsEntry("to_tier", "SILVER")
                .containsEntry("reason", "UPGRADE").containsEntry("figure", 100_000L);
        assertThat(lastPayload("sale.recorded")).contains("\"tier_before\":\"NORMAL\"", "\"tier_after\":\"SILVER\"");
        assertThat(ctx.checkoutService().recordSale(member.id(), 10_000L, List.of()).pointsEarned()).isEqualTo(120);
    }

    @Test
    void spendingTakesTheOldestLotsFirstAndExpiredLotsAreWrittenOffWithAnEvent() {
        ctx.checkoutService().recordSale(member.id(), 30_000L, List.of()); // lot 1: 300 points, last day 2027-03-10
        clock.advance(Duration.ofDays(30));
        ctx.checkoutService().recordSale(member.id(), 50_000L, List.of()); // lot 2: 500 points, last day 2027-04-09

        ctx.checkoutService().redeemPoints(member.id(), 400);

        List<Map<String, Object>> spends = rows("""
                SELECT s.delta, l.lot_expires_on FROM points_entry s JOIN points_entry l ON l.id = s.ref_id
                WHERE s.kind = 'SPEND' ORDER BY l.lot_expires_on""");
        assertThat(spends).extracting(r -> r.get("delta")).containsExactly(-300L, -100L);

        clock.set(LocalDate.of(2027, 3, 20).atTime(9, 0).atZone(ZONE).toInstant());
        MemberSummary s = summary();
        assertThat(s.points()).as("lot 2's remaining 400 points").isEqualTo(400);
        assertThat(s.pointsExpiring()).hasValueSatisfying(e -> {
            assertThat(e.points()).isEqualTo(400);
            assertThat(e.expiresOn()).isEqualTo(LocalDate.of(2027, 4, 9));
        });
        assertThat(s.suggestions()).extracting(Suggestion::reason).contains(ReasonCode.POINTS_EXPIRING);

        clock.set(LocalDate.of(2027, 4, 10).atTime(9, 0).atZone(ZONE).toInstant());
        assertThat(summary().points()).isZero();
        assertThat(rows("SELECT delta, kind FROM points_entry WHERE kind = 'EXPIRE'"))
                .containsExactly(Map.of("delta", -400L, "kind", "EXPIRE"));
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'points.expired'")).isEqualTo(1);
        assertThat(lastPayload("points.expired")).contains("\"points\":400", "\"balance_after\":0");
        summary();
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind = 'EXPIRE'")).as("written off once").isEqualTo(1);
    }

    @Test
    void theExpiringPointsSuggestionIsRedeemedAsPoints() {
        ctx.checkoutService().recordSale(member.id(), 25_000L, List.of());
        clock.set(START.plusDays(350).atTime(9, 0).atZone(ZONE).toInstant());
        Suggestion points = summary().suggestions().stream().filter(Suggestion::isPoints).findFirst().orElseThrow();
        assertThat(points.points()).isEqualTo(250);

        Redemption r = ctx.checkoutService().redeem(member.id(), points, Basket.UNKNOWN);

        assertThat(r.kind()).isEqualTo(Redemption.Kind.POINTS);
        assertThat(r.discountFen()).isEqualTo(250);
        assertThat(summary().suggestions()).noneMatch(Suggestion::isPoints);
    }

    @Test
    void aTierGoesDownOnlyAtTheReviewDateWithARecordedReason() {
        ctx.checkoutService().recordSale(member.id(), 320_000L, List.of());
        assertThat(summary().member().tier()).isEqualTo(Tier.GOLD);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE template_id = 'GOLD_PERK'")).as("tier-upgrade perk").isEqualTo(1);

        clock.set(LocalDate.of(2026, 12, 31).atTime(9, 0).atZone(ZONE).toInstant());
        assertThat(summary().member().tier()).as("no review before the date").isEqualTo(Tier.GOLD);

        clock.set(LocalDate.of(2027, 3, 11).atTime(9, 0).atZone(ZONE).toInstant());
        assertThat(summary().member().tier()).as("reviewed on 2027-01-01's pass: still in the window").isEqualTo(Tier.GOLD);
        assertThat(rows("SELECT reason FROM tier_event ORDER BY created_at")).extracting(r -> r.get("reason"))
                .containsExactly("UPGRADE", TierReason.REVIEW_KEPT.name());

        clock.set(LocalDate.of(2028, 1, 3).atTime(9, 0).atZone(ZONE).toInstant());
        assertThat(summary().member().tier()).isEqualTo(Tier.NORMAL);
        assertThat(rows("SELECT reason, from_tier, to_tier FROM tier_event ORDER BY created_at DESC LIMIT 1"))
                .containsExactly(Map.of("reason", "REVIEW_DOWNGRADE", "from_tier", "GOLD", "to_tier", "NORMAL"));
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'tier.reviewed'")).isEqualTo(2);
        summary();
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'tier.reviewed'")).isEqualTo(2);
    }

    @Test
    void topUpAddsTheBonusStepAsItsOwnEntryInOneEvent() {
        CheckoutService.TopUp t = ctx.checkoutService().topUp(member.id(), 50_000);

        assertThat(t.bonusFen()).isEqualTo(5_000);
        assertThat(t.balanceAfterFen()).isEqualTo(55_000);
        assertThat(rows("SELECT delta_fen, kind FROM sv_entry ORDER BY kind DESC")).containsExactly(
                Map.of("delta_fen", 50_000L, "kind", "TOPUP"), Map.of("delta_fen", 5_000L, "kind", "BONUS"));
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'stored_value.topped_up'")).isEqualTo(1);
        assertThat(ctx.checkoutService().topUp(member.id(), 100).bonusFen()).isZero();
        assertThatThrownBy(() -> ctx.checkoutService().topUp(member.id(), 0)).isInstanceOf(BusinessRuleException.class);
    }

    @Test
    void aChangedRulesFileIsRefusedAndAManagerPutsANewerValidOneInForce() throws Exception {
        RuleSetService rules = ctx.ruleSetService();
        String inForce = ctx.ruleSetRepository().toJson(rules.active());
        Files.writeString(rules.file(), inForce.replace("\"version\" : 2", "\"version\" : 3")
                .replace("\"winBackAfterDays\" : 30", "\"winBackAfterDays\" : 45"), StandardCharsets.UTF_8);

        // The file only shows the rules (decision 0042): a changed one is refused, kept aside and written again.
        assertThat(rules.loadFile()).extracting(m -> m.format(Locale.ENGLISH))
                .singleElement().asString().startsWith("rules.json was changed outside the app and is refused");
        assertThat(rules.active().version()).isEqualTo(2);
        assertThat(rules.loadFile()).as("the file shows the rules in force again").isEmpty();

        Path refused = rules.file().resolveSibling("rules.json.refused");
        rules.importFile(refused, "li");
        assertThat(rules.active().version()).isEqualTo(3);
        assertThat(rules.active().winBackAfterDays()).isEqualTo(45);
        assertThat(lastPayload("rules.changed")).contains("\"version\":3", "\"previous_version\":2", "\"source\":\"import by li\"");
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'rules.changed'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'RULES_CHANGED'")).isEqualTo(1);
    }

    @Test
    void aManagerIssuesAndVoidsCouponsAndAVoidCouponIsNeverSuggested() {
        Coupon c = ctx.couponService().issueManual(member.id(), "BEANS_10", "li");
        assertThat(c.issuedBy()).isEqualTo("manager:li");
        assertThat(summary().suggestions()).extracting(Suggestion::couponCode).contains(c.code());

        ctx.couponService().voidCoupon(c.code(), "issued by mistake", "li");

        assertThat(summary().suggestions()).extracting(Suggestion::couponCode).doesNotContain(c.code());
        assertThatThrownBy(() -> ctx.couponService().voidCoupon(c.code(), "again", "li"))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.couponVoid");
        assertThatThrownBy(() -> ctx.couponService().issueManual(member.id(), "NOPE", "li"))
                .isInstanceOf(BusinessRuleException.class).hasMessage("coupon.error.templateUnknown");
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'coupon.voided'")).isEqualTo(1);
    }

    @Test
    void theDailyPassIssuesWinBackCouponsToMembersWhoStayAway() {
        ctx.checkoutService().recordSale(member.id(), 5_000L, List.of());
        clock.advance(Duration.ofDays(31));

        List<MemberUpkeep.Done> done = ctx.memberUpkeep().everyone();

        assertThat(done).flatExtracting(MemberUpkeep.Done::issued).extracting(x -> x.template().id()).containsExactly("WIN_BACK");
        assertThat(ctx.memberUpkeep().everyone()).allSatisfy(d -> assertThat(d.anything()).isFalse());
    }

    private MemberSummary summary() {
        return ctx.memberSummaryService().byId(member.id()).orElseThrow();
    }

    private List<Map<String, Object>> rows(String sql) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
    }

    private long count(String sql) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private String lastPayload(String type) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = :t ORDER BY terminal_seq DESC LIMIT 1")
                .bind("t", type).mapTo(String.class).one());
    }
}
