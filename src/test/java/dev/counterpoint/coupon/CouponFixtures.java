package dev.counterpoint.coupon;

import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Members, templates, coupons and facts for the pure coupon tests. */
final class CouponFixtures {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    static final UUID MEMBER_ID = UUID.fromString("0190f000-0000-7000-8000-000000000001");

    private CouponFixtures() {}

    static Member member(LocalDate birthday, EnrolmentSource via, int daysAgo, Tier tier) {
        return new Member(MEMBER_ID, "2900000000015", "测试", "138****0000", birthday, tier, "S001",
                OffsetDateTime.of(TODAY.minusDays(daysAgo).atTime(10, 0), ZoneOffset.ofHours(8)), via);
    }

    static CouponTemplate amountOff(String id, CouponTemplate.Trigger trigger, long offFen, long minSpendFen) {
        return new CouponTemplate(id, trigger, null, CouponTemplate.DiscountKind.AMOUNT_OFF, offFen, 0, 0, minSpendFen, 14,
                id, id, null, null, null);
    }

    static Coupon coupon(String code, CouponTemplate t, LocalDate from, LocalDate until, Coupon.Status status, String issuedBy) {
        return new Coupon(UUID.nameUUIDFromBytes(code.getBytes()), code, MEMBER_ID, t, from, until, status,
                OffsetDateTime.of(from.atTime(9, 0), ZoneOffset.ofHours(8)), issuedBy);
    }

    static MemberFacts facts(Member m, Optional<LocalDate> last, int count, List<Coupon> wallet, Map<String, LocalDate> issued) {
        return new MemberFacts(m, last, count, wallet, issued, Optional.empty(), 0, Optional.empty(), Optional.empty(),
                List.of(), 5_000);
    }
}
