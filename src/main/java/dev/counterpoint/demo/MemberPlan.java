package dev.counterpoint.demo;

import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.NewMember;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One demo member and everything that happened to them, planned in memory before anything is
 * written, so the writer needs no queries per member.
 *
 * @param openingPoints points carried over from the store's previous system (0: none)
 * @param openingStoredValueFen stored value carried over (0: none)
 */
record MemberPlan(NewMember member, long tierFigure, long openingPoints, LocalDate openingPointsExpireOn,
                  long openingStoredValueFen, OffsetDateTime openedAt, List<TopUp> topUps, List<Visit> visits,
                  List<PlannedCoupon> coupons) {

    record TopUp(OffsetDateTime at, long amountFen) {
    }

    record Visit(OffsetDateTime at, List<PurchaseLine> lines) {
        long totalFen() {
            long total = 0;
            for (PurchaseLine line : lines) { // a loop: planning sums every visit several times, for each scale pass
                total += line.amountFen();
            }
            return total;
        }
    }

    /**
     * A coupon given to the member; {@code usedOn} is the visit it was redeemed at, or null. An occasion
     * offer {@code takenAtVisit} was issued by its trigger when the member was shown at that visit and
     * redeemed there (decision 0016): issued and redeemed, two events, at the same moment.
     */
    record PlannedCoupon(String code, String templateId, LocalDate validFrom, LocalDate validUntil, OffsetDateTime issuedAt,
                         String issuedBy, Visit usedOn, boolean takenAtVisit) {
    }
}
