package dev.counterpoint.checkout;

import dev.counterpoint.catalog.ProductNames;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Everything the counter shows for a member, read in one go.
 *
 * @param chainHeld the member's purchases and ledger entries at every store are held here: the member is enrolled here,
 *                  the store is not in a chain, it served the member, or it asked head office for them. When not,
 *                  {@code points}, {@code storedValueFen} and {@code pointsExpiring} are only this store's part and
 *                  are not shown as the member's (the member and the wallet reach every store anyway)
 * @param products  the store's names for the SKUs of the purchases and favourites shown
 * @param customTags the member's custom tags that are on, in name order (decision 0077); {@code tags} are the
 *                  automatic ones
 */
public record MemberSummary(Member member, long points, long storedValueFen, List<SegmentTag> tags,
                            List<Purchase> recentPurchases, List<Favourite> favourites, List<Suggestion> suggestions,
                            Optional<LocalDate> lastVisit, TierPolicy.TierProgress tierProgress,
                            Optional<PointLots.Expiring> pointsExpiring, Segments.Profile profile, boolean chainHeld,
                            ProductNames products, List<String> customTags) {
}
