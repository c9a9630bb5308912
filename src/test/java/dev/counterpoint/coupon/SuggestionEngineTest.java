package dev.counterpoint.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SuggestionEngineTest {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    static final RuleSet RULES = new RuleSet(1, Map.of(Tier.NORMAL, 1000), 365, 100, 7, 30, 14, 90);
    static final CouponTemplate WELCOME = template("WELCOME", CouponTemplate.Trigger.WELCOME);
    static final CouponTemplate BIRTHDAY = template("BIRTHDAY", CouponTemplate.Trigger.BIRTHDAY);
    static final CouponTemplate WIN_BACK = template("WIN_BACK", CouponTemplate.Trigger.WIN_BACK);
    static final Map<CouponTemplate.Trigger, CouponTemplate> TEMPLATES = new EnumMap<>(Map.of(
            CouponTemplate.Trigger.WELCOME, WELCOME, CouponTemplate.Trigger.BIRTHDAY, BIRTHDAY,
            CouponTemplate.Trigger.WIN_BACK, WIN_BACK));

    final SuggestionEngine engine = new SuggestionEngine();

    @Test
    void birthdayWithinTheWindowIsSuggestedWithDaysToGo() {
        List<Suggestion> s = suggest(member(LocalDate.of(1988, 11, 30), Member.EnrolmentSource.IMPORT, 400),
                Optional.of(TODAY.minusDays(3)), 10, List.of(), Map.of());
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(ReasonCode.BIRTHDAY);
            assertThat(x.days()).isEqualTo(7);
            assertThat(x.date()).isEqualTo(LocalDate.of(2026, 11, 30));
            assertThat(x.issuesNewCoupon()).isTrue();
        });
    }

    @Test
    void birthdayOutsideTheWindowOrAlreadyGivenIsNotSuggested() {
        Member eightDaysAway = member(LocalDate.of(1988, 12, 1), Member.EnrolmentSource.IMPORT, 400);
        assertThat(suggest(eightDaysAway, Optional.of(TODAY), 1, List.of(), Map.of())).isEmpty();
        Member tomorrow = member(LocalDate.of(1988, 11, 24), Member.EnrolmentSource.IMPORT, 400);
        assertThat(suggest(tomorrow, Optional.of(TODAY), 1, List.of(), Map.of("BIRTHDAY", TODAY.minusDays(1)))).isEmpty();
        assertThat(suggest(tomorrow, Optional.of(TODAY), 1, List.of(), Map.of("BIRTHDAY", TODAY.minusDays(300))))
                .extracting(Suggestion::reason).containsExactly(ReasonCode.BIRTHDAY);
    }

    @Test
    void leapDayBirthdayFallsOnTheTwentyEighthInCommonYears() {
        assertThat(SuggestionEngine.nextBirthday(LocalDate.of(2000, 2, 29), LocalDate.of(2027, 2, 25)))
                .isEqualTo(LocalDate.of(2027, 2, 28));
        assertThat(SuggestionEngine.nextBirthday(LocalDate.of(2000, 2, 29), LocalDate.of(2027, 3, 1)))
                .isEqualTo(LocalDate.of(2028, 2, 29));
    }

    @Test
    void winBackFromThirtyDaysUnlessAlreadyOfferedSinceTheLastVisit() {
        Member m = member(null, Member.EnrolmentSource.IMPORT, 400);
        assertThat(suggest(m, Optional.of(TODAY.minusDays(29)), 5, List.of(), Map.of())).isEmpty();
        assertThat(suggest(m, Optional.of(TODAY.minusDays(30)), 5, List.of(), Map.of()))
                .singleElement().satisfies(x -> {
                    assertThat(x.reason()).isEqualTo(ReasonCode.WIN_BACK);
                    assertThat(x.days()).isEqualTo(30);
                });
        assertThat(suggest(m, Optional.of(TODAY.minusDays(45)), 5, List.of(), Map.of("WIN_BACK", TODAY.minusDays(10)))).isEmpty();
    }

    @Test
    void welcomeOnlyForCounterEnrolmentsWithoutPurchasesWithinTheWindow() {
        assertThat(suggest(member(null, Member.EnrolmentSource.COUNTER, 2), Optional.empty(), 0, List.of(), Map.of()))
                .extracting(Suggestion::reason).containsExactly(ReasonCode.WELCOME);
        assertThat(suggest(member(null, Member.EnrolmentSource.IMPORT, 2), Optional.empty(), 0, List.of(), Map.of())).isEmpty();
        assertThat(suggest(member(null, Member.EnrolmentSource.COUNTER, 15), Optional.empty(), 0, List.of(), Map.of())).isEmpty();
        assertThat(suggest(member(null, Member.EnrolmentSource.COUNTER, 2), Optional.of(TODAY), 1, List.of(), Map.of())).isEmpty();
        assertThat(suggest(member(null, Member.EnrolmentSource.COUNTER, 2), Optional.empty(), 0, List.of(), Map.of("WELCOME", TODAY)))
                .isEmpty();
    }

    @Test
    void walletCouponsUsableTodayFollowOccasionsSoonestExpiringFirst() {
        Member m = member(LocalDate.of(1990, 11, 23), Member.EnrolmentSource.IMPORT, 400);
        Coupon later = coupon("CPLATER", TODAY.minusDays(1), TODAY.plusDays(20), Coupon.Status.ISSUED);
        Coupon sooner = coupon("CPSOON", TODAY.minusDays(5), TODAY, Coupon.Status.ISSUED);
        Coupon expired = coupon("CPGONE", TODAY.minusDays(20), TODAY.minusDays(1), Coupon.Status.ISSUED);
        Coupon future = coupon("CPNEXT", TODAY.plusDays(1), TODAY.plusDays(10), Coupon.Status.ISSUED);
        Coupon used = coupon("CPUSED", TODAY.minusDays(1), TODAY.plusDays(10), Coupon.Status.REDEEMED);

        List<Suggestion> s = suggest(m, Optional.of(TODAY.minusDays(40)), 3, List.of(later, expired, sooner, future, used), Map.of());

        assertThat(s).extracting(Suggestion::reason)
                .containsExactly(ReasonCode.BIRTHDAY, ReasonCode.WIN_BACK, ReasonCode.WALLET, ReasonCode.WALLET);
        assertThat(s.subList(2, 4)).extracting(Suggestion::couponCode).containsExactly("CPSOON", "CPLATER");
    }

    private List<Suggestion> suggest(Member m, Optional<LocalDate> last, int count, List<Coupon> wallet,
                                     Map<String, LocalDate> issued) {
        return engine.suggest(new MemberFacts(m, last, count, wallet, issued), TEMPLATES, RULES, TODAY);
    }

    private static Member member(LocalDate birthday, Member.EnrolmentSource via, int daysAgo) {
        return new Member(UUID.randomUUID(), "2900000000015", "测试", "138****0000", birthday, Tier.NORMAL, "S001",
                OffsetDateTime.of(TODAY.minusDays(daysAgo).atTime(10, 0), ZoneOffset.ofHours(8)), via);
    }

    private static Coupon coupon(String code, LocalDate from, LocalDate until, Coupon.Status status) {
        return new Coupon(UUID.randomUUID(), code, UUID.randomUUID(), WELCOME, from, until, status,
                OffsetDateTime.of(from.atTime(9, 0), ZoneOffset.ofHours(8)));
    }

    private static CouponTemplate template(String id, CouponTemplate.Trigger trigger) {
        return new CouponTemplate(id, trigger, null, CouponTemplate.DiscountKind.AMOUNT_OFF, 1000, 0, 0, 0, 14, id, id);
    }
}
