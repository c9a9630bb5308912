package dev.counterpoint.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.catalog.Product;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRecords;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.checkout.MemberSummaryService;
import dev.counterpoint.checkout.RefundReceipt;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.store.TerminalConfig;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipts of this terminal as documents: a checkout's or refund's right after it was committed (its member lines
 * read then and kept, decision 0055), any of them again by number, the last one, and a close of day's. Everything but
 * the member lines is read again from the checkout or refund itself, so a reprint says what the first print said.
 */
public final class Receipts {
    private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final TerminalConfig config;
    private final Clock clock;
    private final Locale locale;
    private final MemberSummaryService summaries;
    private final MemberRepository members;
    private final CouponRepository coupons;
    private final PurchaseRepository purchases;
    private final ProductRepository products;
    private final RuleSetRepository rules;
    private final PointsLedger points;

    public Receipts(Jdbi jdbi, ObjectMapper json, TerminalConfig config, Clock clock, Locale locale,
                    MemberSummaryService summaries, MemberRepository members, CouponRepository coupons,
                    PurchaseRepository purchases, ProductRepository products, RuleSetRepository rules, PointsLedger points) {
        this.jdbi = jdbi;
        this.json = json;
        this.config = config;
        this.clock = clock;
        this.locale = locale;
        this.summaries = summaries;
        this.members = members;
        this.coupons = coupons;
        this.purchases = purchases;
        this.products = products;
        this.rules = rules;
        this.points = points;
    }

    /** A receipt and whether it reached the printer before (a print of it now is a reprint). */
    public record Made(ReceiptDoc doc, boolean printedBefore) {
    }

    /** What the member lines keep (JSON in {@code receipt_copy}); coupon names are looked up in the receipt's language. */
    record Kept(Long pointsBalance, Long storedValueBalanceFen, Tier nextTier, TierBasis basis, long needed,
                long expiringPoints, LocalDate expiresOn, List<KeptCoupon> coupons) {
        Kept {
            coupons = coupons == null ? List.of() : List.copyOf(coupons);
        }
    }

    record KeptCoupon(String code, String template, LocalDate validUntil) {
    }

    /**
     * The receipt of a checkout just committed, made and kept in a transaction of its own: for a checkout whose own
     * transaction did not keep it ({@link #keep}).
     */
    public Made sale(CheckoutReceipt r) {
        return jdbi.inTransaction(h -> made(h, r, rules.active(h)));
    }

    /**
     * The receipt of a checkout, made and kept for reprints in the checkout's own transaction once its rows are written
     * (decision 0078): what the checkout knows (balances after, the tier and its figure, the card) comes from it, and only
     * the wallet and the point lots are read, in the same transaction, so a new tier's perks, issued by the checkout that
     * raised it, are on the receipt that announces it. Nothing is lost if the terminal stops after the commit. Empty when
     * the receipt cannot be made: a checkout never fails for its receipt; {@link #sale} then makes it afterwards.
     */
    public Optional<Made> keep(Handle h, CheckoutReceipt r, RuleSet ruleSet) {
        try {
            return Optional.of(made(h, r, ruleSet));
        } catch (RuntimeException e) {
            LOG.warn("the receipt of checkout {} was not made with it; it is made after the commit", r.receiptNo(), e);
            return Optional.empty();
        }
    }

    /**
     * The member's lines read and kept, and the receipt made: only the wallet and the point lots are read (decision
     * 0065); the copy is written last.
     */
    private Made made(Handle h, CheckoutReceipt r, RuleSet ruleSet) {
        List<Coupon> wallet = coupons.wallet(h, r.memberId());
        Kept kept = memberLinesAfter(h, r, wallet, ruleSet);
        java.util.Map<String, CouponTemplate> templates = new java.util.HashMap<>();
        wallet.forEach(c -> templates.put(c.template().id(), c.template()));
        ReceiptDoc.Sale doc = new ReceiptDoc.Sale(header(config.storeId(), config.terminalId(), r.completedAt(),
                r.staffId()), r.receiptNo(), items(h, r.lines()), r.grossFen(),
                r.couponCode(), r.discountFen(), r.pointsRedeemed(), r.pointsValueFen(), r.storedValueFen(),
                r.payableFen(), r.pointsEarned(), r.tierBefore(), r.tierAfter(),
                lines(h, r.cardCode(), r.tierAfter(), kept, templates));
        boolean made = ReceiptCopies.insert(h, ReceiptDoc.Kind.CHECKOUT, r.receiptNo(), r.completedAt(), write(kept));
        // a receipt made for the first time has not been printed; one made again keeps its count
        return new Made(doc, !made && printedBefore(h, ReceiptDoc.Kind.CHECKOUT, r.receiptNo()));
    }

    /**
     * The member lines as the checkout left them: its balances (null where this store does not hold them), the next tier
     * from the checkout's own figure, the points expiring soon from the lots, and the wallet's usable coupons.
     */
    private Kept memberLinesAfter(Handle h, CheckoutReceipt r, List<Coupon> wallet, RuleSet ruleSet) {
        LocalDate today = r.completedAt().atZoneSameInstant(clock.getZone()).toLocalDate();
        TierPolicy.TierProgress progress = TierPolicy.progress(ruleSet, r.tierAfter(), r.tierFigure());
        Optional<PointLots.Expiring> expiring = r.pointsBalance() == null ? Optional.empty()
                : PointLots.nextExpiring(points.lots(h, r.memberId()), today, ruleSet.pointsReminderDays());
        return new Kept(r.pointsBalance(), r.storedValueBalanceFen(), progress.next(), progress.basis(), progress.needed(),
                expiring.map(PointLots.Expiring::points).orElse(0L), expiring.map(PointLots.Expiring::expiresOn).orElse(null),
                usable(wallet, today));
    }

    /** The wallet's coupons still usable today, soonest to expire first, as the member lines keep them. */
    private static List<KeptCoupon> usable(List<Coupon> wallet, LocalDate today) {
        return wallet.stream()
                .filter(c -> c.status() == Coupon.Status.ISSUED && !today.isAfter(c.validUntil()))
                .sorted(Comparator.comparing(Coupon::validUntil).thenComparing(Coupon::code))
                .map(c -> new KeptCoupon(c.code(), c.template().id(), c.validUntil())).toList();
    }

    /** The receipt of a void or refund just committed. */
    public Made refund(RefundReceipt r) {
        Kept kept = new Kept(r.pointsBalance(), r.storedValueBalanceFen(), null, null, 0, 0, null, List.of());
        return jdbi.inTransaction(h -> {
            CheckoutRecords.StoredRefund stored = CheckoutRecords.findRefund(h, json, r.refundNo()).orElseThrow();
            ReceiptCopies.insert(h, ReceiptDoc.Kind.REFUND, r.refundNo(), stored.event().refundedAt(), write(kept));
            return new Made(refundDoc(h, stored, kept), printedBefore(h, ReceiptDoc.Kind.REFUND, r.refundNo()));
        });
    }

    /** A close of day's receipt: its Z-report and what head office confirmed. */
    public Made day(ZReport report, long throughSeq, String digest, boolean confirmed, boolean reprint, String managerId) {
        return new Made(new ReceiptDoc.Day(header(report.storeId(), report.terminalId(), OffsetDateTime.now(clock),
                managerId), report, throughSeq, digest, confirmed, reprint), reprint);
    }

    /** A receipt held here by its receipt or refund number, as it was made. */
    public Optional<Made> find(String number) {
        String n = number == null ? "" : number.strip();
        return jdbi.withHandle(h -> {
            Optional<CheckoutRecords.Stored> checkout = CheckoutRecords.find(h, json, n);
            if (checkout.isPresent()) {
                return Optional.of(saleAgain(h, checkout.get()));
            }
            return CheckoutRecords.findRefund(h, json, n).map(stored -> new Made(refundDoc(h, stored,
                    kept(h, ReceiptDoc.Kind.REFUND, n).orElse(new Kept(null, null, null, null, 0, 0, null, List.of()))),
                    printedBefore(h, ReceiptDoc.Kind.REFUND, n)));
        });
    }

    /** The last receipt this terminal made: its newest checkout, void or refund. */
    public Optional<Made> last() {
        return jdbi.withHandle(h -> CheckoutRecords.latest(h, config.terminalId())).flatMap(l -> find(l.number()));
    }

    /** A print of the receipt reached the printer: a later one is a reprint. */
    public void printed(ReceiptDoc doc) {
        if (doc.kind() != ReceiptDoc.Kind.DAY) {
            jdbi.useTransaction(h -> ReceiptCopies.printed(h, doc.kind(), doc.number()));
        }
    }

    private Made saleAgain(Handle h, CheckoutRecords.Stored stored) {
        Event.CheckoutCompleted e = stored.event();
        List<PurchaseLine> items = purchases.lines(h, e.purchaseId());
        List<ReceiptDoc.Item> lines = items.isEmpty()
                ? e.lines().stream().map(l -> new ReceiptDoc.Item(null, null, null, l.qty(), l.amountFen())).toList()
                : items(h, items);
        Member m = members.findById(h, e.memberId()).orElseThrow();
        // A receipt whose lines were not kept (the terminal stopped right after the checkout) shows them as they are now.
        Kept kept = kept(h, ReceiptDoc.Kind.CHECKOUT, e.receiptNo())
                .orElseGet(() -> memberLinesNow(e.memberId()));
        ReceiptDoc.Sale doc = new ReceiptDoc.Sale(header(stored.storeId(), stored.terminalId(), e.completedAt(), e.staffId()),
                e.receiptNo(), lines, e.grossFen(), e.coupon() == null ? null : e.coupon().couponCode(), e.discountFen(),
                e.pointsRedeemed(), e.pointsValueFen(), e.storedValueFen(), e.payableFen(), e.pointsEarned(),
                e.tierBefore(), e.tierAfter(), lines(h, m.cardCode(), e.tierAfter(), kept, java.util.Map.of()));
        return new Made(doc, printedBefore(h, ReceiptDoc.Kind.CHECKOUT, e.receiptNo()));
    }

    private ReceiptDoc.Refund refundDoc(Handle h, CheckoutRecords.StoredRefund stored, Kept kept) {
        Event.CheckoutRefunded e = stored.event();
        String card = members.findById(h, e.memberId()).map(Member::cardCode).orElse("");
        Event.UpgradeUndone undone = e.upgradeUndone();
        return new ReceiptDoc.Refund(header(config.storeId(), stored.terminalId(), e.refundedAt(), e.staffId()),
                e.refundNo(), e.receiptNo(), e.kind(), e.lines().stream().map(Event.RefundLine::lineNo).toList(),
                e.grossFen(), e.discountFen(), e.pointsValueFen(), e.storedValueFen(), e.payableFen(),
                e.pointsReturnedTotal(), e.pointsClawedBackTotal(), e.couponCode(), e.couponRestored(), card,
                kept.pointsBalance(), kept.storedValueBalanceFen(), undone == null ? null : undone.toTier(),
                undone == null ? List.of() : undone.perksVoided());
    }

    /**
     * The member's lines as they stand now, for a checkout whose lines were not kept: the panel's balances (where this
     * store holds them), the next tier and what is missing to reach it, points that expire soon, and the wallet.
     */
    private Kept memberLinesNow(UUID memberId) {
        Optional<MemberSummary> summary = summaries.byId(memberId);
        boolean held = summary.map(MemberSummary::chainHeld).orElse(false);
        Long points = held ? summary.get().points() : null;
        Long sv = held ? summary.get().storedValueFen() : null;
        TierPolicy.TierProgress progress = summary.map(MemberSummary::tierProgress).orElse(null);
        var expiring = summary.filter(MemberSummary::chainHeld).flatMap(MemberSummary::pointsExpiring);
        List<KeptCoupon> wallet = usable(jdbi.withHandle(h -> coupons.wallet(h, memberId)), LocalDate.now(clock));
        return new Kept(points, sv, progress == null ? null : progress.next(), progress == null ? null : progress.basis(),
                progress == null ? 0 : progress.needed(), expiring.map(x -> x.points()).orElse(0L),
                expiring.map(x -> x.expiresOn()).orElse(null), wallet);
    }

    /** @param known templates already read (a fresh receipt's wallet carries them); any other is looked up */
    private ReceiptDoc.MemberLines lines(Handle h, String cardCode, Tier tier, Kept kept,
                                         java.util.Map<String, CouponTemplate> known) {
        List<ReceiptDoc.WalletCoupon> wallet = kept.coupons().stream()
                .map(c -> new ReceiptDoc.WalletCoupon(Optional.ofNullable(known.get(c.template()))
                        .or(() -> coupons.template(h, c.template())).map(t -> t.name(locale))
                        .orElse(c.template()), c.code(), c.validUntil()))
                .toList();
        return new ReceiptDoc.MemberLines(cardCode, tier, kept.pointsBalance(), kept.storedValueBalanceFen(),
                kept.nextTier(), kept.basis() == null ? TierBasis.SPEND : kept.basis(), kept.needed(), kept.expiringPoints(),
                kept.expiresOn(), wallet);
    }

    private ReceiptDoc.Header header(String storeId, String terminalId, OffsetDateTime at, String staffId) {
        String store = storeId.equals(config.storeId()) ? config.storeName() : storeId;
        return new ReceiptDoc.Header(store, storeId, terminalId, at.atZoneSameInstant(clock.getZone()).toLocalDateTime(),
                staffId);
    }

    /** The lines, each with its product's name from the store's catalogue in the receipt's language, if it has one. */
    private List<ReceiptDoc.Item> items(Handle h, List<PurchaseLine> lines) {
        java.util.Map<String, Product> known = products.bySku(h, lines.stream().map(PurchaseLine::sku)
                .filter(java.util.Objects::nonNull).distinct().toList());
        return lines.stream().map(l -> new ReceiptDoc.Item(l.sku(), l.category(),
                l.sku() == null || !known.containsKey(l.sku()) ? null : known.get(l.sku()).name(locale), l.qty(),
                l.amountFen())).toList();
    }

    private static boolean printedBefore(Handle h, ReceiptDoc.Kind kind, String number) {
        return ReceiptCopies.find(h, kind, number).map(c -> c.printed() > 0).orElse(false);
    }

    private Optional<Kept> kept(Handle h, ReceiptDoc.Kind kind, String number) {
        return ReceiptCopies.find(h, kind, number).flatMap(c -> {
            try {
                return Optional.of(json.readValue(c.memberLines(), Kept.class));
            } catch (JsonProcessingException e) {
                LOG.warn("the kept member lines of receipt {} cannot be read; shown as they are now", number, e);
                return Optional.empty();
            }
        });
    }

    private String write(Kept kept) {
        try {
            return json.writeValueAsString(kept);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
