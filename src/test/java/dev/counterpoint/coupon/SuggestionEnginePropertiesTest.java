package dev.counterpoint.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.TestRules;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What the engine must never do, whatever the wallet, basket and day. */
class SuggestionEnginePropertiesTest {
    static final LocalDate BASE = LocalDate.of(2026, 1, 1);
    static final UUID MEMBER = UUID.fromString("0190f000-0000-7000-8000-000000000001");
    static final List<String> CATEGORIES = List.of("咖啡豆", "饮品", "点心");

    final SuggestionEngine engine = new SuggestionEngine();

    @Property(tries = 500)
    void neverSuggestsACouponThatCannotBeUsedNow(@ForAll("scenes") Scene scene) {
        List<Suggestion> out = engine.suggest(scene.facts(), scene.basket(), TestRules.DEFAULT, scene.today());
        for (Suggestion s : out) {
            if (s.isPoints()) {
                assertThat(s.points()).isPositive().isLessThanOrEqualTo(scene.facts().pointsUsable());
                continue;
            }
            Coupon c = scene.facts().wallet().stream().filter(w -> w.id().equals(s.couponId())).findFirst().orElseThrow();
            assertThat(c.status()).isEqualTo(Coupon.Status.ISSUED);
            assertThat(c.validFrom()).isBeforeOrEqualTo(scene.today());
            assertThat(c.validUntil()).isAfterOrEqualTo(scene.today());
            assertThat(c.template().servesTier(scene.facts().member().tier())).isTrue();
            if (scene.basket().amountFen() != null) {
                assertThat(scene.basket().amountFen()).isGreaterThanOrEqualTo(c.template().minSpendFen());
            }
            if (c.template().category() != null && scene.basket().categories() != null) {
                assertThat(scene.basket().categories()).contains(c.template().category());
            }
        }
    }

    @Property(tries = 200)
    void isDeterministicAndIndependentOfWalletOrder(@ForAll("scenes") Scene scene) {
        List<Suggestion> once = engine.suggest(scene.facts(), scene.basket(), TestRules.DEFAULT, scene.today());
        List<Coupon> reversed = new ArrayList<>(scene.facts().wallet());
        java.util.Collections.reverse(reversed);
        MemberFacts f = scene.facts();
        MemberFacts shuffled = new MemberFacts(f.member(), f.lastPurchase(), f.purchaseCount(), reversed,
                f.lastIssuedByTemplate(), f.lastUpgradedOn(), f.pointsUsable(), f.pointsExpiring(), f.churn(),
                f.affinity(), f.averageTicketFen());
        assertThat(engine.suggest(shuffled, scene.basket(), TestRules.DEFAULT, scene.today())).isEqualTo(once);
    }

    record Scene(MemberFacts facts, Basket basket, LocalDate today) {
    }

    @Provide
    Arbitrary<Scene> scenes() {
        Arbitrary<LocalDate> today = Arbitraries.integers().between(0, 365).map(BASE::plusDays);
        Arbitrary<Tier> tier = Arbitraries.of(Tier.class);
        Arbitrary<List<Coupon>> wallet = coupon().list().ofMaxSize(12);
        Arbitrary<Basket> basket = Combinators.combine(
                Arbitraries.longs().between(0, 50_000).injectNull(0.3),
                Arbitraries.of(CATEGORIES).set().ofMaxSize(3).injectNull(0.3)).as(Basket::new);
        Arbitrary<Long> points = Arbitraries.longs().between(0, 5_000);
        Arbitrary<Integer> expiringIn = Arbitraries.integers().between(-5, 60);
        return Combinators.combine(today, tier, wallet, basket, points, expiringIn).as((day, t, w, b, p, e) -> {
            Member m = new Member(MEMBER, "2900000000015", "测试", null, LocalDate.of(1990, 6, 1), t, "S001",
                    OffsetDateTime.of(BASE.minusDays(100).atTime(10, 0), ZoneOffset.ofHours(8)), EnrolmentSource.COUNTER);
            MemberFacts f = new MemberFacts(m, Optional.of(day.minusDays(20)), 5, w, Map.of(), Optional.empty(), p,
                    Optional.of(new PointLots.Expiring(p / 2 + 1, day.plusDays(e))), Optional.empty(), List.of("咖啡豆"), 6_000);
            return new Scene(f, b, day);
        });
    }

    private Arbitrary<Coupon> coupon() {
        Arbitrary<CouponTemplate> template = Combinators.combine(
                Arbitraries.of(CouponTemplate.Trigger.class),
                Arbitraries.of(Tier.class).injectNull(0.5),
                Arbitraries.of(CouponTemplate.DiscountKind.class),
                Arbitraries.longs().between(100, 5_000),
                Arbitraries.integers().between(5, 50),
                Arbitraries.longs().between(0, 20_000),
                Arbitraries.of(CATEGORIES).injectNull(0.6)).as((trigger, tier, kind, off, pct, min, cat) ->
                new CouponTemplate("T", trigger, tier, kind, off, pct, 3_000, min, 14, "券", "coupon", cat, null, null));
        return Combinators.combine(
                template,
                Arbitraries.integers().between(-60, 400),
                Arbitraries.integers().between(0, 60),
                Arbitraries.of(Coupon.Status.class),
                Arbitraries.of("trigger:BIRTHDAY", "trigger:WIN_BACK", "trigger:WELCOME", "trigger:TIER_PERK",
                        "trigger:CHURN_RISK", "manager:li"),
                Arbitraries.strings().withCharRange('A', 'Z').ofLength(6)).as((t, start, length, status, by, code) -> {
                    LocalDate from = BASE.plusDays(start);
                    return new Coupon(UUID.nameUUIDFromBytes((code + start + length).getBytes()), "CP" + code, MEMBER, t,
                            from, from.plusDays(length), status, OffsetDateTime.of(from.atTime(9, 0), ZoneOffset.ofHours(8)), by);
                });
    }
}
