package dev.counterpoint.checkout;

import dev.counterpoint.catalog.Product;
import dev.counterpoint.catalog.ProductNames;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.coupon.MemberFacts;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.PurchaseSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Reads what the member panel, the triggers and the suggestion engine need of a member, inside the caller's handle,
 * in four statements: the member with its balances and dates, the point ledger, the coupons, and the year of
 * purchases with their lines and names. The rule set and the coupon templates come from memory while their version
 * stands ({@link RuleSetRepository#inForce}, {@link CouponRepository#knownTemplates}). The year's rows are mapped
 * once: the purchases the panel shows become records, the rest of the year is only tallied (profile, favourites,
 * the tier figure).
 */
public final class MemberFactsReader {
    /** Read with the member's own columns, in this order; each expression is kept by the class of its table. */
    private static final String MEMBER_AND = String.join(", ",
            RuleSetRepository.VERSION_IN_FORCE,
            StoredValueLedger.BALANCE_OF_MEMBER,
            PurchaseRepository.VISITS_OF_MEMBER,
            PurchaseRepository.LAST_PURCHASE_OF_MEMBER,
            TierLedger.LAST_REVIEW_OF_MEMBER,
            TierLedger.LAST_UPGRADE_OF_MEMBER,
            ChainHistory.MARKED_MEMBER,
            MemberTags.ON_OF_MEMBER);

    private final MemberRepository members;
    private final RuleSetRepository rules;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final CouponRepository coupons;
    private final Clock clock;

    public MemberFactsReader(MemberRepository members, RuleSetRepository rules, PurchaseRepository purchases,
                             PointsLedger points, CouponRepository coupons, Clock clock) {
        this.members = members;
        this.rules = rules;
        this.purchases = purchases;
        this.points = points;
        this.coupons = coupons;
        this.clock = clock;
    }

    /**
     * What the triggers and the engine need, the member's 12-month profile, and what the panel shows beside them.
     *
     * @param recent         the purchases of the rules' history days (at most the year), newest first, with lines
     * @param favourites     the most bought SKUs of the year ({@link Favourite#of})
     * @param spendFen       the year's purchases up to the reading's time: the tier figure when tiers go by spend
     * @param lots           the open point lots; {@code points} their ledger's balance
     * @param storedValueFen the stored-value balance
     * @param chainMarked    whether the member's records anywhere in the chain were asked for or came here
     * @param customTags     the member's own tags that are on, in name order
     * @param products       the catalogue's names of the SKUs in {@code recent} and {@code favourites}
     * @param lastReviewedOn when the tier was last reviewed (or a review left to head office)
     * @param templates      the active coupon templates, in id order
     */
    public record Gathered(MemberFacts facts, Segments.Profile profile, List<Purchase> recent, List<Favourite> favourites,
                           long spendFen, List<PointLots.Lot> lots, long points, long storedValueFen,
                           boolean chainMarked, List<String> customTags, ProductNames products,
                           Optional<LocalDate> lastReviewedOn, List<CouponTemplate> templates) {
    }

    /** The values read with the member's row. */
    private record Head(Member member, int ruleSetVersion, long storedValueFen, int visits,
                        Optional<OffsetDateTime> lastPurchase, Optional<LocalDate> lastReviewedOn,
                        Optional<LocalDate> lastUpgradedOn, boolean chainMarked, List<String> customTags) {
    }

    /** The active member holding this code, read as of {@code now}. */
    public Optional<MemberUpkeep.Reading> byCode(Handle h, String code, OffsetDateTime now) {
        return members.findByCodeWith(h, code, MEMBER_AND, MemberFactsReader::head).map(head -> read(h, head, now));
    }

    /** The member of this id (unless erased), read as of {@code now}. */
    public Optional<MemberUpkeep.Reading> byId(Handle h, UUID memberId, OffsetDateTime now) {
        return members.findByIdWith(h, memberId, MEMBER_AND, MemberFactsReader::head).map(head -> read(h, head, now));
    }

    private static Head head(Member m, ResultSet rs, int c) throws SQLException {
        return new Head(m, rs.getInt(c), rs.getLong(c + 1), rs.getInt(c + 2),
                Optional.ofNullable(rs.getObject(c + 3, OffsetDateTime.class)),
                Optional.ofNullable(rs.getObject(c + 4, LocalDate.class)),
                Optional.ofNullable(rs.getObject(c + 5, LocalDate.class)), rs.getBoolean(c + 6),
                MemberTags.fromColumn(rs.getArray(c + 7)));
    }

    private MemberUpkeep.Reading read(Handle h, Head head, OffsetDateTime now) {
        Member m = head.member();
        LocalDate today = now.toLocalDate();
        RuleSet ruleSet = rules.inForce(h, head.ruleSetVersion());
        YearFold year = new YearFold(m.id(), now, ruleSet.historyDays(), clock.getZone());
        purchases.since(h, m.id(), now.minusYears(1), ProductRepository.LINE_NAMES, year);
        Optional<LocalDate> joined = m.enrolledVia() == EnrolmentSource.IMPORT
                ? Optional.empty() : Optional.of(localDate(m.enrolledAt()));
        PointsLedger.Account account = points.account(h, m.id());
        List<PointLots.Lot> lots = account.lots();
        CouponRepository.MemberCoupons held = coupons.memberCoupons(h, m.id());
        // Not seen this year (or only in voided sales): the last visit is older, read only then.
        Optional<OffsetDateTime> lastVisit = year.lastKept != null ? Optional.of(year.lastKept)
                : head.lastPurchase().isEmpty() ? Optional.empty()
                : purchases.lastBefore(h, m.id(), now.minusYears(1));
        Segments.Profile profile = year.segments.profile(lastVisit.map(this::localDate), joined, today);
        // Voids are made the day of the sale, so those older than the year are few; they are still counted here.
        MemberFacts facts = new MemberFacts(m, lastVisit.map(this::localDate), head.visits() - year.voided, held.wallet(),
                held.lastIssuedByTemplate(), head.lastUpgradedOn(), PointLots.usable(lots, today),
                PointLots.nextExpiring(lots, today, ruleSet.pointsReminderDays()), profile.churn(), profile.affinity(),
                profile.averageTicketFen(), held.usedByLimitedTemplate());
        List<Favourite> favourites = year.favourites.top(MemberSummaryService.FAVOURITES);
        Gathered g = new Gathered(facts, profile, List.copyOf(year.recent), favourites, year.spend, lots,
                account.balance(), head.storedValueFen(), head.chainMarked(), head.customTags(),
                year.names(favourites), head.lastReviewedOn(), coupons.knownTemplates(h).active());
        return new MemberUpkeep.Reading(m, ruleSet, g, now);
    }

    /** Dates are the store's local dates: a 23:30 purchase belongs to that day, not to UTC's next one. */
    private LocalDate localDate(OffsetDateTime t) {
        return t.atZoneSameInstant(clock.getZone()).toLocalDate();
    }

    /**
     * The year of purchases as it is read: the purchases of the history days kept as records, every purchase
     * tallied for the profile and the favourites, the spend up to now summed.
     */
    private static final class YearFold implements PurchaseRepository.Rows<Product> {
        private final UUID memberId;
        private final OffsetDateTime now;
        private final OffsetDateTime recentSince;
        private final OffsetDateTime spendSince;
        private final ZoneId zone;
        final List<Purchase> recent = new ArrayList<>();
        final Segments.Tally segments = new Segments.Tally();
        final Favourite.Tally favourites = new Favourite.Tally();
        final Map<String, Product> products = new HashMap<>();
        long spend;
        /** The year's purchases taken back whole by a void: shown with their badge, counted as no visit. */
        int voided;
        /** The newest purchase of the year that was not voided: the member's last visit. */
        OffsetDateTime lastKept;
        private List<PurchaseLine> lines;
        /** Whether the lines that follow belong to a purchase that counts (one not voided). */
        private boolean counts;

        YearFold(UUID memberId, OffsetDateTime now, int historyDays, ZoneId zone) {
            this.memberId = memberId;
            this.now = now;
            this.recentSince = now.minusDays(historyDays);
            this.spendSince = now.minusMonths(12);
            this.zone = zone;
        }

        @Override
        public void purchase(UUID id, String storeId, String receiptNo, OffsetDateTime at, long totalFen,
                             PurchaseSource source, long refundedFen, boolean voided) {
            // A voided sale never happened: no visit, no favourites; a refund leaves the visit with what was kept.
            counts = !voided;
            if (voided) {
                this.voided++;
            } else {
                segments.visit(at.atZoneSameInstant(zone).toLocalDate(), totalFen - refundedFen);
                favourites.purchase();
                if (lastKept == null) {
                    lastKept = at;
                }
            }
            if (!at.isBefore(spendSince) && !at.isAfter(now)) {
                // what the member kept, as TierLedger.figure counts it
                spend += totalFen - refundedFen;
            }
            if (at.isBefore(recentSince)) {
                lines = null;
            } else {
                lines = new ArrayList<>(4);
                recent.add(new Purchase(id, memberId, storeId, receiptNo, at, totalFen, source, lines, refundedFen, voided));
            }
        }

        @Override
        public void line(String sku, String category, int qty, long amountFen, Product name) {
            if (counts) {
                segments.category(category);
                favourites.line(sku, category, qty);
            }
            if (lines != null) {
                lines.add(new PurchaseLine(sku, category, qty, amountFen));
            }
            if (name != null) {
                products.putIfAbsent(sku, name);
            }
        }

        /** The names of the SKUs shown: the recent purchases' and the favourites'. */
        ProductNames names(List<Favourite> shownFavourites) {
            if (products.isEmpty()) {
                return ProductNames.NONE;
            }
            Map<String, Product> shown = new HashMap<>();
            for (Purchase p : recent) {
                for (PurchaseLine l : p.lines()) {
                    Product named = l.sku() == null ? null : products.get(l.sku());
                    if (named != null) {
                        shown.put(l.sku(), named);
                    }
                }
            }
            for (Favourite f : shownFavourites) {
                Product named = products.get(f.sku());
                if (named != null) {
                    shown.put(f.sku(), named);
                }
            }
            return new ProductNames(shown);
        }
    }
}
