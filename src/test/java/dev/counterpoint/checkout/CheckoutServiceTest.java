package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.Ids;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutServiceTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), SHANGHAI);

    @TempDir
    Path dir;
    TerminalWiring ctx;
    Member member;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", LocalDate.of(1990, 11, 25));
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    @Test
    void saleEarnsPointsAtTierRateAndWritesOneEvent() {
        SaleReceipt receipt = ctx.checkoutService().recordSale(member.id(), null,
                List.of(new PurchaseLine("BEAN-01", "咖啡豆", 2, 12_800), new PurchaseLine("LATTE", "饮品", 1, 3_250)));

        assertThat(receipt.totalFen()).isEqualTo(16_050);
        assertThat(receipt.pointsEarned()).isEqualTo(160); // ¥160.50 at 1.0 point per ¥, rounded down
        assertThat(receipt.receiptNo()).isEqualTo("S001-T1-000001");
        assertThat(pointsRows()).containsExactly(Map.of("delta", 160L, "kind", "EARN", "expires", LocalDate.of(2027, 11, 23)));
        assertThat(events()).containsExactly("member.enrolled", "sale.recorded");
    }

    @Test
    void saleRefusesAmountThatDisagreesWithLinesAndWritesNothing() {
        assertThatThrownBy(() -> ctx.checkoutService().recordSale(member.id(), 100L,
                List.of(new PurchaseLine("LATTE", "饮品", 1, 3_250))))
                .isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                .isEqualTo("The amount ¥1.00 does not match the lines' total ¥32.50.");
        assertThat(events()).containsExactly("member.enrolled");
    }

    @Test
    void showingTheMemberIssuesTheDueCouponsOnceEachWithItsEvent() {
        List<Suggestion> shown = ctx.memberSummaryService().byId(member.id()).orElseThrow().suggestions();

        assertThat(shown).extracting(Suggestion::reason).containsExactlyInAnyOrder(ReasonCode.BIRTHDAY, ReasonCode.WELCOME);
        Suggestion birthday = shown.stream().filter(s -> s.reason() == ReasonCode.BIRTHDAY).findFirst().orElseThrow();
        assertThat(birthday.reasonDays()).isEqualTo(2);
        assertThat(events()).containsExactly("member.enrolled", "coupon.issued", "coupon.issued");
        ctx.memberSummaryService().byId(member.id());
        assertThat(events()).hasSize(3);
    }

    @Test
    void aWalletCouponIsRedeemedOnceInOneTransaction() {
        Suggestion birthday = suggestion(ReasonCode.BIRTHDAY);

        var redemption = ctx.checkoutService().redeem(member.id(), birthday, new Basket(6_000L, null));

        assertThat(redemption.discountFen()).isEqualTo(2_000);
        Map<String, Object> row = ctx.database().jdbi().withHandle(h -> h.createQuery("""
                SELECT c.status, c.template_id, r.discount_fen, r.basket_fen FROM coupon c
                JOIN coupon_redemption r ON r.coupon_id = c.id""").mapToMap().one());
        assertThat(row).containsEntry("status", "REDEEMED").containsEntry("template_id", "BIRTHDAY")
                .containsEntry("discount_fen", 2_000L).containsEntry("basket_fen", 6_000L);
        assertThat(events()).endsWith("coupon.redeemed");
        assertThat(ctx.memberSummaryService().byId(member.id()).orElseThrow().suggestions())
                .extracting(Suggestion::reason).doesNotContain(ReasonCode.BIRTHDAY);
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), birthday, new Basket(6_000L, null)))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.couponUsed");
    }

    @Test
    void minimumSpendIsEnforced() {
        Suggestion birthday = suggestion(ReasonCode.BIRTHDAY);
        long before = events().size();
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), birthday, new Basket(4_999L, null)))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.minSpend");
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), birthday, Basket.UNKNOWN))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.basketRequired");
        assertThat(events()).hasSize((int) before);
    }

    @Test
    void walletCouponCannotBeUsedTwiceOrAfterExpiry() {
        UUID valid = issueWalletCoupon("CPVALID", LocalDate.of(2026, 11, 30));
        UUID expired = issueWalletCoupon("CPOLD", LocalDate.of(2026, 11, 22));
        Suggestion wallet = suggestion(ReasonCode.WALLET);
        assertThat(wallet.couponId()).isEqualTo(valid);

        assertThat(ctx.checkoutService().redeem(member.id(), wallet, new Basket(3_000L, null)).discountFen()).isEqualTo(1_000);
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), wallet, new Basket(3_000L, null)))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.couponUsed");

        Suggestion stale = new Suggestion(ReasonCode.WALLET, wallet.template(), expired, "CPOLD", LocalDate.of(2026, 11, 22),
                -1, 1_000, 0, null, 0, 0, null);
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), stale, new Basket(3_000L, null)))
                .isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                .isEqualTo("This coupon expired on 2026-11-22.");
        assertThat(events()).filteredOn("coupon.redeemed"::equals).hasSize(1);
    }

    @Test
    void categoryAndTierRestrictionsAreCheckedAtRedemption() {
        Coupon beans = ctx.couponService().issueManual(member.id(), "BEANS_10", "test");
        assertThatThrownBy(() -> ctx.couponService().issueManual(member.id(), "GOLD_PERK", "test"))
                .isInstanceOf(BusinessRuleException.class).hasMessage("coupon.error.templateTier");
        // A perk held from before (a tier since lowered by head office's review).
        Coupon gold = ctx.database().jdbi().inTransaction(h -> ctx.couponService().record(h, new Coupon(Ids.next(), "CPGOLD",
                member.id(), ctx.couponRepository().template(h, "GOLD_PERK").orElseThrow(), LocalDate.now(CLOCK),
                LocalDate.now(CLOCK).plusDays(29), Coupon.Status.ISSUED, OffsetDateTime.now(CLOCK), "manager:test")));
        Suggestion beansOffer = ctx.memberSummaryService().byId(member.id()).orElseThrow().suggestions().stream()
                .filter(s -> beans.code().equals(s.couponCode())).findFirst().orElseThrow();
        assertThat(ctx.memberSummaryService().byId(member.id()).orElseThrow().suggestions())
                .as("a gold perk is never offered to a normal member").extracting(Suggestion::couponCode)
                .doesNotContain(gold.code());

        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), beansOffer, new Basket(6_000L, null)))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.category");
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), beansOffer, new Basket(6_000L, Set.of("饮品"))))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.category");
        assertThat(ctx.checkoutService().redeem(member.id(), beansOffer, new Basket(6_000L, Set.of("咖啡豆"))).discountFen())
                .isEqualTo(1_000);

        Suggestion forged = new Suggestion(ReasonCode.WALLET, gold.template(), gold.id(), gold.code(), gold.validUntil(),
                29, 500, 0, null, 0, 0, null);
        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), forged, new Basket(5_000L, null)))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.tier");
    }

    @Test
    void percentageCouponAsksForTheBasketWithoutInventingAMinimumSpend() {
        UUID perk = ctx.database().jdbi().inTransaction(h -> {
            h.execute("UPDATE member SET tier = 'GOLD' WHERE id = ?", member.id());
            UUID id = Ids.next();
            ctx.couponRepository().insert(h, new Coupon(id, "CPPERK", member.id(),
                    ctx.couponRepository().template(h, "GOLD_PERK").orElseThrow(), LocalDate.of(2026, 11, 1),
                    LocalDate.of(2026, 11, 30), Coupon.Status.ISSUED, OffsetDateTime.now(CLOCK), "manager:test"));
            return id;
        });
        Suggestion wallet = ctx.memberSummaryService().byId(member.id()).orElseThrow().suggestions().stream()
                .filter(s -> perk.equals(s.couponId())).findFirst().orElseThrow();

        assertThatThrownBy(() -> ctx.checkoutService().redeem(member.id(), wallet, Basket.UNKNOWN))
                .isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                .isEqualTo("Enter the purchase amount first: this coupon's discount depends on it.");
        assertThat(ctx.checkoutService().redeem(member.id(), wallet, new Basket(123_400L, null)).discountFen())
                .isEqualTo(5_000); // 10 %, capped at ¥50
    }

    @Test
    void pointsRedemptionSpendsAtTheRuleRateAndRefusesOverdraft() {
        ctx.checkoutService().recordSale(member.id(), 50_000L, List.of()); // 500 points
        var r = ctx.checkoutService().redeemPoints(member.id(), 300);
        assertThat(r.discountFen()).isEqualTo(300); // 100 points = ¥1
        assertThat(ctx.checkoutService().redeemPoints(member.id(), 100).balanceAfter()).isEqualTo(100);
        assertThat(ctx.memberSummaryService().byId(member.id()).orElseThrow().points()).isEqualTo(100);

        assertThatThrownBy(() -> ctx.checkoutService().redeemPoints(member.id(), 201))
                .isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                .isEqualTo("Not enough points: 201 asked, balance 100.");
        assertThatThrownBy(() -> ctx.checkoutService().redeemPoints(member.id(), 0))
                .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.pointsPositive");
        assertThat(events()).filteredOn(t -> t.startsWith("points.") || t.startsWith("sale."))
                .containsExactly("sale.recorded", "points.redeemed", "points.redeemed");
        String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'points.redeemed' ORDER BY terminal_seq LIMIT 1").mapTo(String.class).one());
        assertThat(payload).contains("\"points\":300").contains("\"discount_fen\":300").contains("\"balance_before\":500");
    }

    @Test
    void storedValuePaymentIsALedgerEntryAndRefusesOverspend() {
        ctx.database().jdbi().useTransaction(h -> ctx.storedValueLedger().append(h, member.id(), 10_000,
                StoredValueKind.OPENING, null, OffsetDateTime.now(CLOCK), ctx.hlc().now()));

        ctx.checkoutService().payWithStoredValue(member.id(), 2_550);

        assertThat(ctx.memberSummaryService().byId(member.id()).orElseThrow().storedValueFen()).isEqualTo(7_450);
        List<Long> deltas = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT delta_fen FROM sv_entry ORDER BY created_at, id").mapTo(Long.class).list());
        assertThat(deltas).containsExactly(10_000L, -2_550L);
        assertThatThrownBy(() -> ctx.checkoutService().payWithStoredValue(member.id(), 7_451))
                .isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                .isEqualTo("Not enough stored value: ¥74.51 asked, balance ¥74.50.");
        assertThat(events()).filteredOn(t -> t.startsWith("stored_value.")).containsExactly("stored_value.paid");
    }

    @Test
    void actionsOnAnUnknownMemberAreRefused() {
        assertThatThrownBy(() -> ctx.checkoutService().payWithStoredValue(Ids.next(), 100))
                .isInstanceOf(BusinessRuleException.class).hasMessage("member.error.unknown");
    }

    private UUID issueWalletCoupon(String code, LocalDate until) {
        UUID id = Ids.next();
        ctx.database().jdbi().useTransaction(h -> ctx.couponRepository().insert(h, new Coupon(id, code, member.id(),
                ctx.couponRepository().template(h, "WELCOME").orElseThrow(), until.minusDays(13), until,
                Coupon.Status.ISSUED, OffsetDateTime.now(CLOCK).minusDays(3), "manager:test")));
        return id;
    }

    private Suggestion suggestion(ReasonCode reason) {
        return ctx.memberSummaryService().byId(member.id()).orElseThrow().suggestions().stream()
                .filter(s -> s.reason() == reason).findFirst().orElseThrow();
    }

    private List<Map<String, Object>> pointsRows() {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT delta, kind, lot_expires_on AS expires FROM points_entry ORDER BY created_at, id")
                .map((rs, c) -> Map.<String, Object>of("delta", rs.getLong(1), "kind", rs.getString(2),
                        "expires", rs.getObject(3, LocalDate.class)))
                .list());
    }

    private List<String> events() {
        return ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT type FROM outbox_event ORDER BY terminal_seq")
                .mapTo(String.class).list());
    }
}
