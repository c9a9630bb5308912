package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The showcase members show what the README promises, whatever day the demo is generated on. */
class DemoShowcaseTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;

    // An ordinary afternoon, a year-end evening, and a day whose "birthday in two days" is 29 February.
    @ParameterizedTest
    @ValueSource(strings = {"2026-03-10T06:00:00Z", "2026-12-30T14:30:00Z", "2028-02-27T01:00:00Z"})
    void showcaseMembersShowTheirStory(String instant) {
        Clock clock = Clock.fixed(Instant.parse(instant), SHANGHAI);
        LocalDate today = LocalDate.now(clock);
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock)) {
            ctx.demoStoreGenerator().generate(20, (written, total) -> { });
            RuleSet rules = ctx.database().jdbi().withHandle(h -> ctx.ruleSetRepository().active(h));

            MemberSummary birthday = summary(ctx, Showcase.BIRTHDAY);
            assertThat(birthday.member().cardCode()).isEqualTo("2900000000018");
            assertThat(reasons(birthday).get(0)).isEqualTo(ReasonCode.BIRTHDAY);
            assertThat(birthday.suggestions().get(0).reasonDays()).isEqualTo(2);
            assertThat(birthday.suggestions().get(0).reasonDate()).isEqualTo(today.plusDays(2));
            assertThat(birthday.member().tier()).isEqualTo(Tier.SILVER);
            assertThat(birthday.tags()).containsExactly(SegmentTag.LOYAL);
            assertThat(birthday.points()).isEqualTo(800 + earned(ctx, rules, birthday.member()));
            assertThat(birthday.storedValueFen()).isZero();

            MemberSummary winBack = summary(ctx, Showcase.WIN_BACK);
            assertThat(winBack.member().cardCode()).isEqualTo("2900000000025");
            assertThat(reasons(winBack).get(0)).isEqualTo(ReasonCode.WIN_BACK);
            assertThat(winBack.suggestions().get(0).reasonDays()).isEqualTo(45);
            assertThat(winBack.lastVisit()).contains(today.minusDays(45));
            assertThat(winBack.member().tier()).isEqualTo(Tier.SILVER);
            assertThat(winBack.tags()).contains(SegmentTag.LOYAL, SegmentTag.AT_RISK);
            // 46 weekly visits of a ¥28 latte and a ¥15 croissant, 51 points each at the Silver rate
            assertThat(winBack.points()).isEqualTo(1200 + 46 * 51);
            assertThat(winBack.storedValueFen()).isEqualTo(12_000);

            MemberSummary welcome = summary(ctx, Showcase.WELCOME);
            assertThat(welcome.member().cardCode()).isEqualTo("2900000000032");
            assertThat(welcome.member().enrolledVia()).isEqualTo(EnrolmentSource.COUNTER);
            assertThat(reasons(welcome)).containsExactly(ReasonCode.WELCOME);
            assertThat(welcome.member().tier()).isEqualTo(Tier.NORMAL);
            assertThat(welcome.tags()).containsExactly(SegmentTag.NEW);
            assertThat(welcome.recentPurchases()).isEmpty();
            assertThat(welcome.points()).isZero();
            assertThat(welcome.storedValueFen()).isZero();

            MemberSummary vip = summary(ctx, Showcase.VIP);
            assertThat(vip.member().cardCode()).isEqualTo("2900000000049");
            assertThat(reasons(vip).get(0)).isEqualTo(ReasonCode.WALLET);
            Suggestion perk = vip.suggestions().get(0);
            assertThat(perk.couponCode()).isEqualTo(Showcase.VIP_COUPON);
            assertThat(perk.daysLeft()).isEqualTo(2);
            assertThat(perk.template().id()).isEqualTo("GOLD_PERK");
            assertThat(vip.member().tier()).isEqualTo(Tier.DIAMOND);
            assertThat(vip.tags()).contains(SegmentTag.HIGH_VALUE, SegmentTag.LOYAL);
            assertThat(vip.storedValueFen()).isEqualTo(280_000);
            assertThat(vip.points()).isEqualTo(5000 + earned(ctx, rules, vip.member())).isGreaterThan(20_000);
            assertThat(vip.favourites()).isNotEmpty();

            MemberSummary refusals = summary(ctx, Showcase.REFUSALS);
            assertThat(refusals.member().cardCode()).isEqualTo("2900000000056");
            assertThat(refusals.suggestions()).extracting(Suggestion::couponCode)
                    .doesNotContain(Showcase.EXPIRED_COUPON, Showcase.USED_COUPON);
            List<Coupon> wallet = ctx.database().jdbi().withHandle(h -> ctx.couponRepository().wallet(h, refusals.member().id()));
            assertThat(wallet).extracting(Coupon::code).containsExactly(Showcase.EXPIRED_COUPON);
            assertThat(wallet.get(0).validUntil()).isEqualTo(today.minusDays(11));
            UUID memberId = refusals.member().id();
            assertThatThrownBy(() -> redeemWalletCoupon(ctx, memberId, Showcase.EXPIRED_COUPON))
                    .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.couponExpired");
            assertThatThrownBy(() -> redeemWalletCoupon(ctx, memberId, Showcase.USED_COUPON))
                    .isInstanceOf(BusinessRuleException.class).hasMessage("redeem.error.couponUsed");

            MemberSummary dormant = summary(ctx, Showcase.DORMANT);
            assertThat(dormant.member().cardCode()).isEqualTo("2900000000063");
            assertThat(reasons(dormant).get(0)).isEqualTo(ReasonCode.WIN_BACK);
            assertThat(dormant.suggestions().get(0).reasonDays()).isEqualTo(150);
            assertThat(dormant.tags()).contains(SegmentTag.DORMANT);
            assertThat(dormant.member().birthday()).isNull();
        }
    }

    private static MemberSummary summary(TerminalWiring ctx, Showcase s) {
        return ctx.memberSummaryService().byCode(s.cardCode()).orElseThrow();
    }

    private static List<ReasonCode> reasons(MemberSummary s) {
        return s.suggestions().stream().map(Suggestion::reason).toList();
    }

    /** Points the member's purchases earn at their tier's rate, worked out from the purchases themselves. */
    private static long earned(TerminalWiring ctx, RuleSet rules, Member m) {
        List<Long> totals = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT total_fen FROM purchase WHERE member_id = :m")
                .bind("m", m.id()).mapTo(Long.class).list());
        assertThat(totals).isNotEmpty();
        return totals.stream().mapToLong(t -> rules.pointsFor(t, m.tier())).sum();
    }

    /** What the counter would do if a cashier picked the coupon from the member's wallet. */
    private static void redeemWalletCoupon(TerminalWiring ctx, UUID memberId, String code) {
        Coupon c = ctx.database().jdbi().withHandle(h -> {
            UUID id = h.createQuery("SELECT id FROM coupon WHERE code = :c").bind("c", code).mapTo(UUID.class).one();
            return ctx.couponRepository().findById(h, id).orElseThrow();
        });
        ctx.checkoutService().redeem(memberId, new Suggestion(ReasonCode.WALLET, c.template(), c.id(), c.code(), c.validUntil(),
                0, 0, 0, null, 0, 0, null), new Basket(10_000L, null));
    }
}
