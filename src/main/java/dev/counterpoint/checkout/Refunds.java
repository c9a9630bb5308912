package dev.counterpoint.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.catalog.ProductNames;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.CheckoutShares;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Text;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import dev.counterpoint.store.ReceiptNumbers;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Voids and refunds, each approved by a manager and reversed in one transaction: the money shares of the lines taken
 * back ({@link CheckoutShares}), the points they spent given back (to lots with the spent lots' expiry), the points they
 * earned taken back (from the lot they opened first; below zero only as the rules allow, the rest forgiven), the stored
 * value they paid given back, and the coupon given back or kept as the rules say once the whole checkout is taken back.
 * A void of the checkout that raised the member's tier takes the raise back, and the perks it issued, when what is left
 * no longer reaches the tier (decision 0091); a refund never lowers a tier. One {@code checkout.refunded} event and an
 * audit entry go with it.
 */
public final class Refunds {
    /** Head office's copy of a receipt: the checkout and the refunds made of it anywhere. */
    public record HeadOfficeReceipt(Event.CheckoutCompleted checkout, String storeId, String terminalId,
                                    List<Event.CheckoutRefunded> refunds) {

        /** As head office answers {@code GET /v1/sync/checkouts/{receipt_no}}. */
        public static HeadOfficeReceipt fromJson(ObjectMapper json, com.fasterxml.jackson.databind.JsonNode reply) {
            List<Event.CheckoutRefunded> refunds = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode r : reply.path("refunds")) {
                refunds.add((Event.CheckoutRefunded) dev.counterpoint.protocol.ProtocolJson.readEvent(json,
                        "checkout.refunded", r));
            }
            return new HeadOfficeReceipt((Event.CheckoutCompleted) dev.counterpoint.protocol.ProtocolJson.readEvent(json,
                    "checkout.completed", reply.path("checkout")), reply.path("store_id").asText(),
                    reply.path("terminal_id").asText(), List.copyOf(refunds));
        }
    }

    /** Asks head office for a receipt; tells whether it can be asked now. */
    public interface ReceiptSource {
        boolean online();

        /** Empty: head office holds no such receipt. Throws {@link BusinessRuleException} when it cannot be asked. */
        Optional<HeadOfficeReceipt> fetch(String receiptNo);

        ReceiptSource NONE = new ReceiptSource() {
            @Override
            public boolean online() {
                return false;
            }

            @Override
            public Optional<HeadOfficeReceipt> fetch(String receiptNo) {
                return Optional.empty();
            }
        };
    }

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final CouponRepository coupons;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final ChainHistory chain;
    private final ObjectMapper json;
    private final ReceiptSource office;
    private final ProductRepository products;
    private final TierLedger tiers;

    /** @param products names the lines of a receipt found for the counter's screen */
    public Refunds(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                   StoredValueLedger storedValue, CouponRepository coupons, RuleSetRepository rules, TierLedger tiers,
                   Outbox outbox, AuditLog audit, Hlc hlc, Clock clock, String storeId, String terminalId,
                   ChainHistory chain, ObjectMapper json, ReceiptSource office, ProductRepository products) {
        this.products = products;
        this.tiers = tiers;
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.coupons = coupons;
        this.rules = rules;
        this.outbox = outbox;
        this.audit = audit;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.chain = chain;
        this.json = json;
        this.office = office;
    }

    /** The newest checkout rung up at this terminal, if any: what the counter's void and refund screen opens with. */
    public Optional<String> lastReceiptNo() {
        return jdbi.withHandle(h -> CheckoutRecords.latestCheckout(h, terminalId));
    }

    /** Voids a checkout made at this terminal today, with none of it refunded yet: it is taken back whole. */
    public RefundReceipt voidCheckout(String receiptNo, Staff cashier, Staff manager) {
        return takeBack(receiptNo, List.of(), cashier, manager, RefundKind.VOID);
    }

    /**
     * Refunds the given lines of a checkout (numbered from 1), or every line not yet refunded when none is given. A
     * receipt made elsewhere is read from head office (online only); online, head office is asked for the refunds made
     * of a receipt at other terminals too.
     */
    public RefundReceipt refund(String receiptNo, List<Integer> lineNos, Staff cashier, Staff manager) {
        return takeBack(receiptNo, lineNos, cashier, manager, RefundKind.REFUND);
    }

    /**
     * What a receipt holds, for a screen that offers its void or refund: found as {@link #voidCheckout} and
     * {@link #refund} find it (here, else at head office while it can be reached), nothing written.
     */
    public static final class Found {
        private final Sources sources;
        private final Member member;
        private final List<PurchaseLine> items;
        private final ProductNames products;
        private final SortedSet<Integer> refunded;
        private final boolean voided;
        private final UserMessage voidRefused;
        private final boolean balancesHeld;

        private Found(Sources sources, Member member, List<PurchaseLine> items, ProductNames products,
                      SortedSet<Integer> refunded, boolean voided, UserMessage voidRefused, boolean balancesHeld) {
            this.sources = sources;
            this.member = member;
            this.items = items;
            this.products = products;
            this.refunded = refunded;
            this.voided = voided;
            this.voidRefused = voidRefused;
            this.balancesHeld = balancesHeld;
        }

        public Event.CheckoutCompleted checkout() { return sources.checkout(); }
        public String receiptNo() { return sources.checkout().receiptNo(); }
        public String storeId() { return sources.storeId(); }
        public String terminalId() { return sources.terminalId(); }
        /** Read from head office: made at another store or terminal and not held here. */
        public boolean fromOffice() { return sources.local().isEmpty(); }
        /** The member, when this terminal holds them. */
        public Optional<Member> member() { return Optional.ofNullable(member); }
        /** The checkout's lines in order (line n is {@code items().get(n - 1)}), with their items where they are known. */
        public List<PurchaseLine> items() { return items; }
        /** The names of the lines' products in the store's catalogue. */
        public ProductNames products() { return products; }
        /** The lines refunded already, here or (as head office knows) anywhere. */
        public SortedSet<Integer> refunded() { return refunded; }
        /** The checkout was voided: every line was taken back at once, by a void rather than a refund. */
        public boolean voided() { return voided; }
        /** Why it cannot be voided, if it cannot (another terminal's, not today's, partly refunded). */
        public Optional<UserMessage> voidRefused() { return Optional.ofNullable(voidRefused); }
        /** Every line was refunded already. */
        public boolean allRefunded() { return refunded.size() == items.size(); }
        /**
         * Whether the refund can give back and take back the member's points and stored value here: false when the
         * checkout moved some and this store does not hold the member's balances yet (another store's member, never
         * shown here), which a refund is then refused for until the member's records have come from head office.
         */
        public boolean balancesHeld() { return balancesHeld; }
    }

    /**
     * A receipt's checkout and what was taken back of it, for a screen to show and offer. Refused with the message the
     * void or refund would give when the number is malformed, unknown, or another store's while head office cannot be
     * reached.
     */
    public Found find(String receiptNo) {
        Sources s = sources(receiptNo);
        return jdbi.withHandle(h -> {
            Event.CheckoutCompleted c = s.checkout();
            java.util.Collection<Event.CheckoutRefunded> prior = prior(h, s, c).values();
            SortedSet<Integer> taken = taken(prior);
            boolean voided = prior.stream().anyMatch(r -> r.kind() == RefundKind.VOID);
            List<PurchaseLine> items = s.local().isPresent() ? purchases.lines(h, c.purchaseId()) : List.of();
            if (items.size() != c.lines().size()) {
                // the items are not held here (an erased member's, or head office's copy): the lines as the event has them
                items = c.lines().stream().map(l -> new PurchaseLine(l.sku(), l.category(), l.qty(), l.amountFen())).toList();
            }
            List<String> skus = items.stream().map(PurchaseLine::sku).filter(Objects::nonNull).distinct().toList();
            boolean balances = c.pointsRedeemed() > 0 || c.pointsEarned() > 0 || c.storedValueFen() > 0;
            return new Found(s, members.findById(h, c.memberId()).orElse(null), List.copyOf(items),
                    new ProductNames(products.bySku(h, skus)), Collections.unmodifiableSortedSet(taken), voided,
                    voidRefusal(s, c, taken).map(BusinessRuleException::userMessage).orElse(null),
                    !balances || chain.held(h, c.memberId()));
        });
    }

    /** What becomes of the checkout's coupon. */
    public enum CouponFate {
        /** The checkout used none. */
        NONE,
        /** Back in the member's wallet, usable again. */
        RESTORED,
        /** Stays used: lines of the checkout are kept (it comes back, if the rules say so, with the last of them). */
        STAYS_USED,
        /** Stays used: the rules say a refund does not give a coupon back. */
        FORFEITED,
        /** Stays used: it is past its last day. */
        EXPIRED,
        /** Not given back: this terminal does not hold it as used. */
        NOT_HELD
    }

    /**
     * What a void or refund would give back and take back, worked out as {@link #voidCheckout} and {@link #refund} work
     * it out (the same code), nothing written: the amounts and points as the refund receipt would show them.
     *
     * @param tierBackTo  the tier a void takes the member back to, taking back the raise its checkout made (decision
     *                    0091); null: it takes no tier back
     * @param perksVoided how many unused tier perks that void voids
     */
    public record Preview(RefundKind kind, List<Integer> lines, boolean complete, long grossFen, long discountFen,
                          long pointsValueFen, long storedValueFen, long payableFen, long pointsReturned,
                          long pointsClawedBack, long pointsForgiven, String couponCode, CouponFate coupon,
                          Tier tierBackTo, int perksVoided) {

        /** What the void takes back of the member's tier, in the words the void's own message and receipt use. */
        public Optional<UserMessage> upgradeUndoneMessage() {
            return Optional.ofNullable(tierBackTo).map(t -> RefundReceipt.upgradeUndoneMessage(t, perksVoided));
        }
    }

    /**
     * What voiding ({@code lineNos} ignored) or refunding the chosen lines (none: every line left) of a found receipt
     * would do as things stand now; refused as the void or refund would be refused. Head office is not asked again:
     * the refund itself asks it.
     */
    public Preview preview(Found found, List<Integer> lineNos, RefundKind kind) {
        Sources s = found.sources;
        return jdbi.withHandle(h -> {
            Event.CheckoutCompleted c = s.checkout();
            Map<UUID, Event.CheckoutRefunded> prior = prior(h, s, c);
            SortedSet<Integer> taken = taken(prior.values());
            List<Integer> lines = choose(s, c, taken, lineNos, kind);
            Plan p = plan(h, c, prior.values(), lines, taken.size() + lines.size() == c.lines().size(), kind,
                    rules.active(h), OffsetDateTime.now(clock));
            return new Preview(kind, lines, p.complete(), p.share().grossFen(), p.share().discountFen(),
                    p.share().pointsValueFen(), p.share().storedValueFen(), p.share().payableFen(),
                    p.returns().stream().mapToLong(Return::points).sum(), p.claws().stream().mapToLong(Claw::points).sum(),
                    p.forgiven(), c.coupon() == null ? null : c.coupon().couponCode(), p.coupon(),
                    p.tierBack() == null ? null : p.tierBack().to(),
                    p.tierBack() == null ? 0 : p.tierBack().perks().size());
        });
    }

    /** Where a receipt was found: here (made here, or kept from head office), at head office, or both. */
    private record Sources(Optional<CheckoutRecords.Stored> local, Optional<HeadOfficeReceipt> remote) {
        Event.CheckoutCompleted checkout() {
            return local.map(CheckoutRecords.Stored::event).orElseGet(() -> remote.orElseThrow().checkout());
        }

        String storeId() {
            return local.map(CheckoutRecords.Stored::storeId).orElseGet(() -> remote.orElseThrow().storeId());
        }

        String terminalId() {
            return local.map(CheckoutRecords.Stored::terminalId).orElseGet(() -> remote.orElseThrow().terminalId());
        }
    }

    /** A receipt number as typed, scanned or given on the command line: checked before it is looked up or sent on. */
    private static String receiptNumber(String typed) {
        String receipt = typed == null ? "" : typed.strip();
        if (receipt.isEmpty()) {
            throw new BusinessRuleException("refund.error.receiptRequired");
        }
        if (Text.problem(receipt, RECEIPT_MAX).isPresent()) {
            throw new BusinessRuleException("refund.error.receiptInvalid", RECEIPT_MAX);
        }
        return receipt;
    }

    /** As long as a receipt number may be (the protocol's limit for codes). */
    private static final int RECEIPT_MAX = 64;

    private Sources sources(String receiptNo) {
        String receipt = receiptNumber(receiptNo);
        Optional<CheckoutRecords.Stored> local = jdbi.withHandle(h -> CheckoutRecords.find(h, json, receipt));
        Optional<HeadOfficeReceipt> remote = Optional.empty();
        if (office.online()) {
            try {
                remote = office.fetch(receipt);
            } catch (BusinessRuleException unreachable) {
                if (local.isEmpty() || local.get().remote()) {
                    throw unreachable;
                }
                // Head office could not be asked just now: a receipt of this terminal's own is refunded as it knows it.
            }
        }
        if (local.isEmpty() && remote.isEmpty()) {
            Optional<CheckoutRecords.StoredRefund> refund = jdbi.withHandle(h -> CheckoutRecords.findRefund(h, json, receipt));
            if (refund.isPresent()) {
                throw new BusinessRuleException("refund.error.isRefund", receipt, refund.get().event().receiptNo());
            }
            throw new BusinessRuleException(office.online() ? "refund.error.unknown" : "refund.error.unknownOffline", receipt);
        }
        return new Sources(local, remote);
    }

    /** Every refund known of the checkout: made here (some perhaps not yet sent) and, online, anywhere else. */
    private Map<UUID, Event.CheckoutRefunded> prior(Handle h, Sources s, Event.CheckoutCompleted c) {
        Map<UUID, Event.CheckoutRefunded> prior = new LinkedHashMap<>();
        s.remote().ifPresent(r -> r.refunds().forEach(x -> prior.put(x.refundId(), x)));
        CheckoutRecords.refunds(h, json, c.checkoutId()).forEach(x -> prior.put(x.refundId(), x));
        return prior;
    }

    private static TreeSet<Integer> taken(java.util.Collection<Event.CheckoutRefunded> prior) {
        TreeSet<Integer> taken = new TreeSet<>();
        prior.forEach(x -> x.lines().forEach(l -> taken.add(l.lineNo())));
        return taken;
    }

    /** Why a checkout cannot be voided here now, if it cannot. */
    private Optional<BusinessRuleException> voidRefusal(Sources s, Event.CheckoutCompleted c, Set<Integer> taken) {
        boolean here = s.local().isPresent() && !s.local().get().remote();
        if (!here || !terminalId.equals(s.local().get().terminalId())) {
            return Optional.of(new BusinessRuleException("refund.error.voidElsewhere", c.receiptNo()));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (!c.completedAt().atZoneSameInstant(clock.getZone()).toLocalDate()
                .equals(now.atZoneSameInstant(clock.getZone()).toLocalDate())) {
            return Optional.of(new BusinessRuleException("refund.error.voidNotToday", c.receiptNo()));
        }
        if (!taken.isEmpty()) {
            return Optional.of(new BusinessRuleException("refund.error.voidAfterRefund", c.receiptNo()));
        }
        return Optional.empty();
    }

    /** The lines a void or refund takes back, or why it cannot. */
    private List<Integer> choose(Sources s, Event.CheckoutCompleted c, Set<Integer> taken, List<Integer> lineNos,
                                 RefundKind kind) {
        String receipt = c.receiptNo();
        int count = c.lines().size();
        if (kind == RefundKind.VOID) {
            Optional<BusinessRuleException> refused = voidRefusal(s, c, taken);
            if (refused.isPresent()) {
                throw refused.get();
            }
            return IntStream.rangeClosed(1, count).boxed().toList();
        }
        if (lineNos.isEmpty()) {
            List<Integer> lines = IntStream.rangeClosed(1, count).filter(i -> !taken.contains(i)).boxed().toList();
            if (lines.isEmpty()) {
                throw new BusinessRuleException("refund.error.allRefunded", receipt);
            }
            return lines;
        }
        List<Integer> lines = List.copyOf(new TreeSet<>(lineNos));
        for (int no : lines) {
            if (no < 1 || no > count) {
                throw new BusinessRuleException("refund.error.noLine", receipt, no, count);
            }
            if (taken.contains(no)) {
                throw new BusinessRuleException("refund.error.lineRefunded", receipt, no);
            }
        }
        return lines;
    }

    private RefundReceipt takeBack(String receiptNo, List<Integer> lineNos, Staff cashier, Staff manager, RefundKind kind) {
        if (!manager.may(StaffRole.MANAGER)) {
            throw new BusinessRuleException("staff.error.role", manager.id(), new UserMessage(StaffRole.MANAGER.messageKey()));
        }
        Sources s = sources(receiptNo);
        return jdbi.inTransaction(h -> {
            Event.CheckoutCompleted c = s.checkout();
            members.lockForAction(h, c.memberId());
            if (s.local().isEmpty()) {
                keepRemote(h, s.remote().get());
            }
            Map<UUID, Event.CheckoutRefunded> prior = prior(h, s, c);
            SortedSet<Integer> taken = taken(prior.values());
            List<Integer> lines = choose(s, c, taken, lineNos, kind);
            OffsetDateTime now = OffsetDateTime.now(clock);
            Plan plan = plan(h, c, prior.values(), lines, taken.size() + lines.size() == c.lines().size(), kind,
                    rules.active(h), now);
            return apply(h, c, plan, kind, cashier, manager, now);
        });
    }

    /** A receipt made elsewhere is kept here as head office gave it, with its purchase, so the refund can name them. */
    private void keepRemote(Handle h, HeadOfficeReceipt r) {
        Event.CheckoutCompleted c = r.checkout();
        if (!purchases.exists(h, c.purchaseId())) {
            purchases.insert(h, new Purchase(c.purchaseId(), c.memberId(), r.storeId(), c.receiptNo(), c.completedAt(),
                    c.grossFen(), PurchaseSource.SALE, c.lines().stream()
                            .map(l -> new PurchaseLine(l.sku(), l.category(), l.qty(), l.amountFen())).toList()),
                    r.terminalId());
        }
        UUID couponId = c.coupon() == null ? null : c.coupon().couponId();
        CheckoutRecords.insert(h, json, c, r.storeId(), r.terminalId(), couponId, true);
    }

    /** Points given back to a lot that opens again: the entry's id is chosen in advance, so a clawback may name it. */
    private record Return(UUID entryId, long points, UUID spentLot, LocalDate expires) {
    }

    /** Points taken back from a lot; {@code lot} null: below zero, as the rules allow. */
    private record Claw(long points, UUID lot) {
    }

    /** A tier raise a void takes back: from the tier its checkout raised the member to, the figure left, the perks. */
    private record TierBack(Tier from, Tier to, long figure, List<CouponRepository.Issued> perks) {
    }

    /**
     * Everything a void or refund of these lines does, worked out before anything is written.
     *
     * @param tierBack the tier raise a void takes back; null: none
     */
    private record Plan(List<Integer> lines, boolean complete, CheckoutShares.Total share, List<Return> returns,
                        List<Claw> claws, long forgiven, CouponFate coupon, RuleSet ruleSet, TierBack tierBack) {
    }

    /**
     * The money shares of the lines, the points they spent given back (each to a lot with the expiry of the lot it was
     * spent from), the points they earned taken back (from the lot the checkout opened, then the member's other lots
     * oldest first, those given back here among them; below zero only as the rules allow, the rest forgiven), and
     * what becomes of the coupon; for a void, the tier raise it takes back. Reads only.
     */
    private Plan plan(Handle h, Event.CheckoutCompleted c, java.util.Collection<Event.CheckoutRefunded> prior,
                      List<Integer> lines, boolean complete, RefundKind kind, RuleSet ruleSet, OffsetDateTime now) {
        LocalDate today = now.toLocalDate();
        UUID memberId = c.memberId();
        CheckoutShares.Total share = CheckoutShares.of(c).of(lines);
        boolean pointsInvolved = share.pointsRedeemed() > 0 || share.pointsEarned() > 0;
        if ((pointsInvolved || share.storedValueFen() > 0) && !chain.held(h, memberId)) {
            throw new BusinessRuleException("refund.error.balancesNotHere");
        }

        // Points spent come back first, each part to a lot with the expiry of the lot it was spent from.
        Map<UUID, Long> returnedByLot = new HashMap<>();
        for (Event.CheckoutRefunded r : prior) {
            for (Event.PointsMove m : r.pointsReturned()) {
                returnedByLot.merge(key(m.lotId()), m.delta(), Long::sum);
            }
        }
        List<Return> returns = new ArrayList<>();
        long toReturn = share.pointsRedeemed();
        for (Event.SpendEntry spent : c.pointsEntries()) {
            if (toReturn == 0) {
                break;
            }
            long open = -spent.delta() - returnedByLot.getOrDefault(key(spent.lotId()), 0L);
            long take = Math.min(open, toReturn);
            if (take <= 0) {
                continue;
            }
            LocalDate expires = spent.lotId() == null ? null : lotExpiry(h, spent.lotId());
            if (expires == null) {
                expires = ruleSet.lotExpiresOn(c.completedAt().toLocalDate());
            }
            returns.add(new Return(Ids.next(), take, spent.lotId(), expires));
            toReturn -= take;
        }
        if (toReturn > 0) {
            throw new IllegalStateException("checkout " + c.receiptNo() + ": its spends do not cover the points to return");
        }

        // Points earned are taken back: from the lot the checkout opened, then the member's other lots (the points just
        // given back open lots too), oldest first.
        List<Claw> claws = new ArrayList<>();
        long toClaw = share.pointsEarned();
        if (toClaw > 0) {
            List<PointLots.Lot> lots = new ArrayList<>(points.lots(h, memberId));
            returns.forEach(r -> lots.add(new PointLots.Lot(r.entryId(), r.points(), r.points(), r.expires())));
            lots.sort(PointLots.SPEND_ORDER);
            lots.sort((a, b) -> Boolean.compare(!a.id().equals(c.pointsEntryId()), !b.id().equals(c.pointsEntryId())));
            for (PointLots.Lot lot : lots) {
                if (toClaw == 0) {
                    break;
                }
                if (lot.expiredOn(today) || lot.remaining() <= 0) {
                    continue;
                }
                long take = Math.min(lot.remaining(), toClaw);
                claws.add(new Claw(take, lot.id()));
                toClaw -= take;
            }
            if (toClaw > 0 && ruleSet.clawbackMayGoBelowZero()) {
                claws.add(new Claw(toClaw, null));
                toClaw = 0;
            }
        }

        // The coupon: once the whole checkout is taken back, given back to the wallet or kept used, as the rules say.
        CouponFate coupon;
        if (c.coupon() == null) {
            coupon = CouponFate.NONE;
        } else if (!complete) {
            coupon = CouponFate.STAYS_USED;
        } else if (!ruleSet.refundRestoresCoupon()) {
            coupon = CouponFate.FORFEITED;
        } else {
            Optional<Coupon> held = coupons.findById(h, c.coupon().couponId());
            coupon = held.isEmpty() || held.get().status() != Coupon.Status.REDEEMED ? CouponFate.NOT_HELD
                    : today.isAfter(held.get().validUntil()) ? CouponFate.EXPIRED : CouponFate.RESTORED;
        }
        TierBack tierBack = kind == RefundKind.VOID ? tierBack(h, c, share, ruleSet, now) : null;
        return new Plan(lines, complete, share, returns, claws, toClaw, coupon, ruleSet, tierBack);
    }

    /** Writes what the plan says, with its event and audit entry. */
    private RefundReceipt apply(Handle h, Event.CheckoutCompleted c, Plan plan, RefundKind kind, Staff cashier,
                                Staff manager, OffsetDateTime now) {
        UUID memberId = c.memberId();
        CheckoutShares.Total share = plan.share();
        long stamp = hlc.now();
        List<Event.PointsMove> returned = new ArrayList<>();
        for (Return r : plan.returns()) {
            points.append(h, r.entryId(), memberId, r.points(), PointsKind.REVERSE, r.expires(), r.spentLot(), now, stamp);
            returned.add(new Event.PointsMove(r.entryId(), r.points(), r.spentLot(), r.expires()));
        }
        List<Event.PointsMove> clawed = new ArrayList<>();
        for (Claw x : plan.claws()) {
            UUID id = points.append(h, memberId, -x.points(), PointsKind.REVERSE, null, x.lot(), now, stamp);
            clawed.add(new Event.PointsMove(id, -x.points(), x.lot(), null));
        }
        long forgiven = plan.forgiven();

        UUID svEntry = null;
        if (share.storedValueFen() > 0) {
            svEntry = storedValue.append(h, memberId, share.storedValueFen(), StoredValueKind.REVERSE, c.svEntryId(), now, stamp);
        }

        boolean restored = false;
        String couponCode = c.coupon() == null ? null : c.coupon().couponCode();
        if (plan.coupon() == CouponFate.RESTORED) {
            h.createUpdate("DELETE FROM coupon_redemption WHERE coupon_id = :c").bind("c", c.coupon().couponId()).execute();
            restored = h.createUpdate("UPDATE coupon SET status = 'ISSUED' WHERE id = :c AND status = 'REDEEMED'")
                    .bind("c", c.coupon().couponId()).execute() == 1;
        }

        List<Integer> lines = plan.lines();
        boolean complete = plan.complete();
        RuleSet ruleSet = plan.ruleSet();
        purchases.refunded(h, c.purchaseId(), share.grossFen(), kind == RefundKind.VOID);
        Event.UpgradeUndone undone = plan.tierBack() == null ? null
                : undoUpgrade(h, c, plan.tierBack(), ruleSet, now, stamp);
        long seq = ReceiptNumbers.next(h);
        String refundNo = "%s-%s-%06d".formatted(storeId, terminalId, seq);
        List<Event.RefundLine> refundLines = lines.stream()
                .map(no -> new Event.RefundLine(no, c.lines().get(no - 1).amountFen())).toList();
        Event.CheckoutRefunded event = new Event.CheckoutRefunded(Ids.next(), c.checkoutId(), c.receiptNo(), refundNo, kind,
                memberId, cashier.id(), manager.id(), now, refundLines, share.grossFen(), share.discountFen(),
                share.pointsValueFen(), share.storedValueFen(), share.payableFen(), returned, clawed, forgiven, svEntry,
                couponCode, restored, complete, ruleSet.version(), undone);
        CheckoutRecords.insertRefund(h, json, event, terminalId);
        outbox.append(h, event);
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("refund_no", refundNo);
        detail.put("cashier", cashier.id());
        detail.put("lines", lines.toString());
        detail.put("gross", Money.format(share.grossFen()));
        detail.put("payable", Money.format(share.payableFen()));
        detail.put("stored_value", Money.format(share.storedValueFen()));
        detail.put("points_returned", Long.toString(event.pointsReturnedTotal()));
        detail.put("points_clawed_back", Long.toString(event.pointsClawedBackTotal()));
        detail.put("points_forgiven", Long.toString(forgiven));
        detail.put("coupon_restored", Boolean.toString(restored));
        if (undone != null) {
            detail.put("tier", undone.fromTier() + " -> " + undone.toTier());
            detail.put("perks_voided", undone.perksVoided().toString());
        }
        audit.append(h, manager.id(), kind == RefundKind.VOID ? AuditAction.CHECKOUT_VOIDED : AuditAction.CHECKOUT_REFUNDED,
                c.receiptNo(), detail);
        boolean held = chain.held(h, memberId);
        return new RefundReceipt(event.refundId(), refundNo, c.receiptNo(), kind, lines, share.grossFen(),
                share.discountFen(), share.pointsValueFen(), share.storedValueFen(), share.payableFen(),
                event.pointsReturnedTotal(), event.pointsClawedBackTotal(), forgiven, couponCode, restored, complete,
                held ? Long.valueOf(points.balance(h, memberId)) : null,
                held ? Long.valueOf(storedValue.balanceFen(h, memberId)) : null, undone);
    }

    /**
     * A void of the checkout that raised the member's tier, while the member still holds the tier it raised them to,
     * takes the raise back when the figure left (the void counted) no longer reaches it: to the highest tier the figure
     * still reaches, never below the checkout's {@code tier_before}, and the tier perks the raise issued and still
     * unused are voided (decision 0091). Null when it takes nothing back: the checkout raised nothing, the member has
     * been raised or reviewed since (left to the review), or other sales keep the tier. Reads only.
     */
    private TierBack tierBack(Handle h, Event.CheckoutCompleted c, CheckoutShares.Total share, RuleSet ruleSet,
                              OffsetDateTime now) {
        if (c.tierAfter().compareTo(c.tierBefore()) <= 0) {
            return null;
        }
        UUID memberId = c.memberId();
        Tier held = members.findById(h, memberId).orElseThrow().tier();
        if (held != c.tierAfter()) {
            return null;
        }
        long figure = tiers.figureAfterRefund(h, memberId, ruleSet, now, c.completedAt(), share.grossFen());
        Tier reached = TierPolicy.qualifying(ruleSet, figure);
        Tier back = reached.compareTo(c.tierBefore()) > 0 ? reached : c.tierBefore();
        if (back.compareTo(held) >= 0) {
            return null;
        }
        return new TierBack(held, back, figure, coupons.unusedPerksIssuedSince(h, memberId, c.completedAt()));
    }

    /** Takes the raise back as planned: a tier change recorded, the perks voided (their reason names the receipt). */
    private Event.UpgradeUndone undoUpgrade(Handle h, Event.CheckoutCompleted c, TierBack back, RuleSet ruleSet,
                                            OffsetDateTime now, long stamp) {
        UUID tierEvent = tiers.record(h, c.memberId(), back.from(), back.to(), TierReason.UPGRADE_VOIDED, back.figure(),
                ruleSet.version(), now, stamp);
        List<String> voided = new ArrayList<>();
        for (CouponRepository.Issued perk : back.perks()) {
            if (coupons.markVoid(h, perk.id(), "void " + c.receiptNo())) {
                voided.add(perk.code());
            }
        }
        return new Event.UpgradeUndone(tierEvent, back.from(), back.to(), back.figure(), List.copyOf(voided));
    }

    private static final UUID NO_LOT = new UUID(0, 0);

    private static UUID key(UUID lot) {
        return Objects.requireNonNullElse(lot, NO_LOT);
    }

    private static LocalDate lotExpiry(Handle h, UUID lotId) {
        return h.createQuery("SELECT lot_expires_on FROM points_entry WHERE id = :id").bind("id", lotId)
                .mapTo(LocalDate.class).findOne().orElse(null);
    }
}
