package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Any sequence of checkouts (coupon, points, stored value), refunds or voids of any of their lines and a manager's
 * adjustments of either balance either way leaves every balance equal to the sum of its ledger and to what the receipts
 * and adjustments say moved, the point lots adding up to the balance, and no balance below zero (the default rules
 * forgive earned points already spent rather than go below zero, and refuse an adjustment that would go below).
 */
class CheckoutLedgerProperties {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private TerminalWiring ctx;
    private Staff manager;
    private int members;

    @BeforeProperty
    void open() throws Exception {
        ctx = TerminalWiring.inMemory(Files.createTempDirectory("ledger-props"), Locale.ENGLISH, clock);
        manager = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
    }

    @AfterProperty
    void close() {
        ctx.close();
    }

    /**
     * One step: a checkout, a refund (or void) of an earlier one, or an adjustment ({@code adjustKind} 1 points, 2
     * stored value, by {@code adjustDelta}); the numbers pick what each uses.
     */
    record Step(boolean refund, long amountFen, int lines, boolean coupon, int pointsPercent, int storedValuePercent,
                int which, int lineMask, boolean asVoid, int hoursLater, int adjustKind, long adjustDelta) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> checkout = Combinators.combine(Arbitraries.longs().between(1, 60_000), Arbitraries.integers().between(1, 4),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 3))
                .as((amount, lines, coupon, pts, sv, hours) -> new Step(false, amount, lines, coupon, pts, sv, 0, 0, false, hours,
                        0, 0));
        Arbitrary<Step> refund = Combinators.combine(Arbitraries.integers().between(0, 1_000),
                Arbitraries.integers().between(0, 15), Arbitraries.of(true, false), Arbitraries.integers().between(0, 30))
                .as((which, mask, asVoid, hours) -> new Step(true, 0, 0, false, 0, 0, which, mask, asVoid, hours, 0, 0));
        Arbitrary<Step> adjustment = Combinators.combine(Arbitraries.integers().between(1, 2),
                Arbitraries.longs().between(-30_000, 30_000).filter(d -> d != 0), Arbitraries.integers().between(0, 30))
                .as((kind, delta, hours) -> new Step(false, 0, 0, false, 0, 0, 0, 0, false, hours, kind, delta));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, checkout), net.jqwik.api.Tuple.of(2, refund),
                net.jqwik.api.Tuple.of(1, adjustment)).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 150)
    void everyBalanceIsTheSumOfItsLedgerAndWhatTheReceiptsMovedAndNeverBelowZero(@ForAll("steps") List<Step> steps) {
        Member m = ctx.memberService().enrol("会员", "139" + String.format("%08d", ++members), null);
        long openingPoints = 2_000;
        long openingSv = 20_000;
        ctx.database().jdbi().useTransaction(h -> {
            ctx.pointsLedger().append(h, m.id(), openingPoints, PointsKind.OPENING, LocalDate.of(2030, 1, 1), null,
                    OffsetDateTime.now(clock), ctx.hlc().now());
            ctx.storedValueLedger().append(h, m.id(), openingSv, StoredValueKind.OPENING, null, OffsetDateTime.now(clock),
                    ctx.hlc().now());
        });
        List<CheckoutReceipt> checkouts = new ArrayList<>();
        Map<String, Integer> lineCounts = new HashMap<>();
        long pointsMoved = openingPoints;
        long svMoved = openingSv;
        for (Step s : steps) {
            clock.advance(Duration.ofHours(s.hoursLater()));
            if (s.adjustKind() > 0) {
                Adjustments.Kind kind = s.adjustKind() == 1 ? Adjustments.Kind.POINTS : Adjustments.Kind.STORED_VALUE;
                long balance = kind == Adjustments.Kind.POINTS ? points(m) : storedValue(m);
                try {
                    Adjustment a = ctx.adjustments().adjust(new Adjustments.Request(m.id(), kind, s.adjustDelta(),
                            "till error"), manager, manager);
                    if (kind == Adjustments.Kind.POINTS) {
                        pointsMoved += s.adjustDelta();
                    } else {
                        svMoved += s.adjustDelta();
                    }
                    assertThat(a.balanceAfter()).isEqualTo(balance + s.adjustDelta());
                } catch (BusinessRuleException refused) {
                    assertThat(refused.userMessage().key()).startsWith("adjust.error.").endsWith("BelowZero");
                    assertThat(balance + s.adjustDelta()).as("refused only below zero").isNegative();
                }
            } else if (!s.refund()) {
                long pointsBalance = points(m);
                long svBalance = storedValue(m);
                long amount = Math.max(s.amountFen(), s.lines());
                List<PurchaseLine> lines = new ArrayList<>();
                long per = amount / s.lines();
                for (int i = 0; i < s.lines(); i++) {
                    lines.add(new PurchaseLine("SKU" + i, null, 1, i == s.lines() - 1 ? amount - per * (s.lines() - 1) : per));
                }
                if (s.coupon()) {
                    ctx.database().jdbi().useTransaction(h -> ctx.couponService().issue(h, m.id(),
                            ctx.couponRepository().template(h, "WELCOME").orElseThrow(), "trigger:WELCOME"));
                }
                long discount = s.coupon() ? Math.min(amount, 1_000) : 0; // the welcome coupon, ¥10 off
                long pts = Math.min(pointsBalance, amount - discount) * s.pointsPercent() / 100;
                long left = amount - discount - pts;
                long sv = Math.max(0, Math.min(svBalance, left)) * s.storedValuePercent() / 100;
                CheckoutReceipt r = ctx.checkouts().complete(new CheckoutRequest(m.id(), null, lines,
                        s.coupon() ? CheckoutRequest.CouponChoice.BEST : CheckoutRequest.CouponChoice.NONE, pts, sv), manager);
                assertThat(r.grossFen() - r.discountFen() - r.pointsValueFen() - r.storedValueFen()).isEqualTo(r.payableFen())
                        .isNotNegative();
                assertThat(r.pointsEarned()).isEqualTo(ctx.ruleSetService().active().pointsFor(r.earningBaseFen(), r.tierBefore()));
                checkouts.add(r);
                lineCounts.put(r.receiptNo(), s.lines());
                pointsMoved += r.pointsEarned() - r.pointsRedeemed();
                svMoved -= r.storedValueFen();
                assertThat(r.pointsBalance()).isEqualTo(points(m));
                assertThat(r.storedValueBalanceFen()).isEqualTo(storedValue(m));
            } else if (!checkouts.isEmpty()) {
                CheckoutReceipt c = checkouts.get(s.which() % checkouts.size());
                List<Integer> chosen = new ArrayList<>();
                for (int i = 0; i < lineCounts.get(c.receiptNo()); i++) {
                    if ((s.lineMask() & (1 << i)) != 0) {
                        chosen.add(i + 1);
                    }
                }
                try {
                    RefundReceipt r = s.asVoid() ? ctx.refunds().voidCheckout(c.receiptNo(), manager, manager)
                            : ctx.refunds().refund(c.receiptNo(), chosen, manager, manager);
                    pointsMoved += r.pointsReturned() - r.pointsClawedBack();
                    svMoved += r.storedValueFen();
                    assertThat(r.pointsBalance()).isEqualTo(points(m));
                    assertThat(r.storedValueBalanceFen()).isEqualTo(storedValue(m));
                } catch (BusinessRuleException refused) {
                    assertThat(refused.userMessage().key()).startsWith("refund.error.");
                }
            }
            assertThat(points(m)).as("points: the ledger is what the receipts moved").isEqualTo(pointsMoved).isNotNegative();
            assertThat(storedValue(m)).as("stored value").isEqualTo(svMoved).isNotNegative();
            long lots = ctx.database().jdbi().withHandle(h -> PointLots.usable(ctx.pointsLedger().lots(h, m.id()),
                    LocalDate.now(clock)));
            assertThat(lots).as("the open lots add up to the balance").isEqualTo(points(m));
        }
        // What was refunded of each checkout never exceeds it, and a checkout refunded whole is refunded exactly.
        for (CheckoutReceipt c : checkouts) {
            record Sums(long gross, long payable, long sv, long complete) {
            }
            Sums sums = ctx.database().jdbi().withHandle(h -> h.createQuery("""
                    SELECT COALESCE(SUM(r.gross_fen), 0), COALESCE(SUM(r.payable_fen), 0), COALESCE(SUM(r.stored_value_fen), 0),
                           COUNT(CASE WHEN r.complete THEN 1 END)
                    FROM refund r JOIN checkout k ON k.id = r.checkout_id WHERE k.receipt_no = :r""")
                    .bind("r", c.receiptNo()).map((rs, x) -> new Sums(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .one());
            assertThat(sums.gross()).isLessThanOrEqualTo(c.grossFen());
            assertThat(sums.payable()).isLessThanOrEqualTo(c.payableFen());
            assertThat(sums.sv()).isLessThanOrEqualTo(c.storedValueFen());
            if (sums.complete() > 0) {
                assertThat(sums.gross()).isEqualTo(c.grossFen());
                assertThat(sums.payable()).isEqualTo(c.payableFen());
                assertThat(sums.sv()).isEqualTo(c.storedValueFen());
            }
        }
    }

    private long points(Member m) {
        return ctx.database().jdbi().withHandle(h -> ctx.pointsLedger().balance(h, m.id()));
    }

    private long storedValue(Member m) {
        return ctx.database().jdbi().withHandle(h -> ctx.storedValueLedger().balanceFen(h, m.id()));
    }
}
