package dev.counterpoint.coupon;

import dev.counterpoint.member.Member;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the suggestion engine may look at, gathered beforehand so the engine stays pure.
 *
 * @param lastIssuedByTemplate the day a coupon of each template was last issued to this member
 */
public record MemberFacts(Member member, Optional<LocalDate> lastPurchase, int purchaseCount, List<Coupon> wallet,
                          Map<String, LocalDate> lastIssuedByTemplate) {
}
