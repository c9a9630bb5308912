package dev.counterpoint.coupon;

import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.member.Member;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the triggers and the suggestion engine may look at, gathered beforehand so both stay pure.
 *
 * @param lastIssuedByTemplate the day a coupon of each template was last issued to this member
 * @param lastUpgradedOn       when the member last went up a tier
 * @param pointsUsable         points that can be spent today
 * @param pointsExpiring       the next expiry within the reminder window
 * @param averageTicketFen     the member's average purchase over 12 months (to value percentage coupons)
 * @param usedByTemplate       how many coupons of each template with a per-member limit the member has used
 */
public record MemberFacts(Member member, Optional<LocalDate> lastPurchase, int purchaseCount, List<Coupon> wallet,
                          Map<String, LocalDate> lastIssuedByTemplate, Optional<LocalDate> lastUpgradedOn,
                          long pointsUsable, Optional<PointLots.Expiring> pointsExpiring,
                          Optional<Segments.ChurnWarning> churn, List<String> affinity, long averageTicketFen,
                          Map<String, Integer> usedByTemplate) {

    /** Facts of a member whose wallet holds no template with a per-member limit. */
    public MemberFacts(Member member, Optional<LocalDate> lastPurchase, int purchaseCount, List<Coupon> wallet,
                       Map<String, LocalDate> lastIssuedByTemplate, Optional<LocalDate> lastUpgradedOn,
                       long pointsUsable, Optional<PointLots.Expiring> pointsExpiring,
                       Optional<Segments.ChurnWarning> churn, List<String> affinity, long averageTicketFen) {
        this(member, lastPurchase, purchaseCount, wallet, lastIssuedByTemplate, lastUpgradedOn, pointsUsable, pointsExpiring,
                churn, affinity, averageTicketFen, Map.of());
    }
}
