package dev.counterpoint.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.checkout.Checkouts;
import dev.counterpoint.checkout.RefundReceipt;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts from what the terminal holds: the member lines read after the checkout and kept, the same receipt again by
 * number and as the last one, refunds, and a printer that fails without touching the sale.
 */
class ReceiptsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;
    TestClock clock = new TestClock(Instant.parse("2026-11-23T06:00:00Z"), SHANGHAI);
    TerminalWiring ctx;
    Member member;
    Staff manager;
    final List<byte[]> sent = new ArrayList<>();
    boolean printerUnplugged;
    String winBack;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Messages.CHINESE, clock);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        manager = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        ctx.database().jdbi().useTransaction(h -> {
            ctx.pointsLedger().append(h, member.id(), 1_000, PointsKind.OPENING, LocalDate.of(2026, 12, 10), null,
                    OffsetDateTime.now(clock), ctx.hlc().now());
            ctx.storedValueLedger().append(h, member.id(), 5_000, StoredValueKind.OPENING, null, OffsetDateTime.now(clock),
                    ctx.hlc().now());
            winBack = ctx.couponService().issue(h, member.id(), ctx.couponRepository().template(h, "WIN_BACK").orElseThrow(),
                    "trigger:WIN_BACK").code();
        });
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    private ReceiptDesk desk(PrinterSettings settings) {
        return new ReceiptDesk(ctx.receiptDesk().receipts(), Messages.CHINESE, "静安店", settings, s -> {
            if (s.kind() == PrinterSettings.Kind.NONE) {
                return Optional.empty();
            }
            return Optional.of(bytes -> {
                if (printerUnplugged) {
                    throw new ReceiptPrinter.PrintFailure(new UserMessage("receipt.printer.cannotOpen", s.port()), null);
                }
                sent.add(bytes);
            });
        });
    }

    private CheckoutReceipt checkout() {
        return ctx.checkouts().complete(new CheckoutRequest(member.id(), null,
                List.of(new PurchaseLine("LATTE", "咖啡", 2, 4_000), new PurchaseLine("BEAN", null, 1, 6_000)),
                CheckoutRequest.CouponChoice.NONE, 200, 1_000), manager);
    }

    @Test
    void aSaleReceiptHasTheMemberLinesAsTheCheckoutLeftThemAndSaysTheSameWhenReprinted() {
        ctx.database().jdbi().useTransaction(h -> ctx.productRepository().put(h,
                new dev.counterpoint.catalog.Product("LATTE", "拿铁", "Latte", "咖啡"), OffsetDateTime.now(clock)));
        CheckoutReceipt r = checkout();
        Receipts receipts = ctx.receiptDesk().receipts();
        Receipts.Made made = receipts.sale(r);

        ReceiptDoc.Sale sale = (ReceiptDoc.Sale) made.doc();
        assertThat(made.printedBefore()).isFalse();
        assertThat(sale.receiptNo()).isEqualTo(r.receiptNo());
        assertThat(sale.items()).extracting(ReceiptDoc.Item::sku).containsExactly("LATTE", "BEAN");
        // named from the store's catalogue in the receipt's language; a SKU it lacks prints as the SKU
        assertThat(sale.items()).extracting(ReceiptDoc.Item::name).containsExactly("拿铁", null);
        assertThat(new ReceiptFormatter(Messages.bundle(Messages.CHINESE)).layout(sale).plainText(32))
                .containsPattern("拿铁 x2 +¥40.00").containsPattern("BEAN +¥60.00");
        ReceiptDoc.MemberLines m = sale.member();
        assertThat(m.pointsBalance()).isEqualTo(1_000 - 200 + r.pointsEarned());
        assertThat(m.storedValueBalanceFen()).isEqualTo(4_000);
        assertThat(m.nextTier()).isEqualTo(Tier.values()[r.tierAfter().ordinal() + 1]);
        assertThat(m.needed()).isPositive();
        assertThat(m.expiringPoints()).as("the opening lot expires within the warning window").isEqualTo(800);
        assertThat(m.expiresOn()).isEqualTo(LocalDate.of(2026, 12, 10));
        // the win-back coupon, and the welcome coupon the new member's upkeep issued
        assertThat(m.coupons()).extracting(ReceiptDoc.WalletCoupon::code).contains(winBack);
        assertThat(m.coupons()).allSatisfy(c -> assertThat(c.name()).isNotBlank().doesNotContain("_"));

        // Later the balances move on; a reprint still says what the receipt said.
        clock.advance(Duration.ofHours(1));
        ctx.checkouts().complete(new CheckoutRequest(member.id(), 1_000L, List.of(), CheckoutRequest.CouponChoice.NONE,
                0, 1_000), manager);
        Receipts.Made again = receipts.find(r.receiptNo()).orElseThrow();
        assertThat(((ReceiptDoc.Sale) again.doc()).member()).isEqualTo(m);
        assertThat(((ReceiptDoc.Sale) again.doc()).items()).isEqualTo(sale.items());
        assertThat(receipts.last().orElseThrow().doc().number()).isNotEqualTo(r.receiptNo());
    }

    @Test
    void aCheckoutKeepsItsReceiptInItsOwnTransactionAndAReprintSaysTheSame() {
        Receipts receipts = ctx.receiptDesk().receipts();
        Checkouts.Completed<Optional<Receipts.Made>> done = ctx.checkouts().complete(new CheckoutRequest(member.id(), null,
                List.of(new PurchaseLine("LATTE", "咖啡", 2, 4_000), new PurchaseLine("BEAN", null, 1, 6_000)),
                CheckoutRequest.CouponChoice.NONE, 200, 1_000), manager, receipts::keep);
        CheckoutReceipt r = done.receipt();
        Receipts.Made kept = done.also().orElseThrow();

        // committed with the checkout: nothing after the commit is needed for its reprint to say what it says
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM receipt_copy WHERE kind = 'CHECKOUT'")).isEqualTo(1);
        assertThat(kept.printedBefore()).isFalse();
        ReceiptDoc.Sale sale = (ReceiptDoc.Sale) kept.doc();
        assertThat(sale.receiptNo()).isEqualTo(r.receiptNo());
        assertThat(sale.member().pointsBalance()).isEqualTo(1_000 - 200 + r.pointsEarned());
        assertThat(sale.member().storedValueBalanceFen()).isEqualTo(4_000);
        assertThat(sale.member().expiringPoints()).isEqualTo(800);
        assertThat(sale.member().coupons()).extracting(ReceiptDoc.WalletCoupon::code).contains(winBack);
        assertThat(receipts.find(r.receiptNo()).orElseThrow().doc()).isEqualTo(sale);
        // made again after the commit (as a checkout whose transaction did not keep it), it is the same receipt
        assertThat(receipts.sale(r).doc()).isEqualTo(sale);
    }

    @Test
    void aReceiptThatCannotBeMadeNeverCostsTheCheckoutAndIsMadeAfterTheCommit() {
        Receipts receipts = ctx.receiptDesk().receipts();
        // no rule set to measure the next tier by: the member lines cannot be made
        Checkouts.Completed<Optional<Receipts.Made>> done = ctx.checkouts().complete(new CheckoutRequest(member.id(),
                3_000L, List.of(), CheckoutRequest.CouponChoice.NONE, 0, 0), manager, (h, c, rules) -> receipts.keep(h, c,
                null));
        assertThat(done.also()).isEmpty();
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM checkout")).isEqualTo(1);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM receipt_copy")).isZero();
        assertThat(receipts.sale(done.receipt()).doc().number()).isEqualTo(done.receipt().receiptNo());
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM receipt_copy")).isEqualTo(1);
    }

    @Test
    void aCheckoutThatRaisesTheTierKeepsItsReceiptWithTheNewTiersPerkItIssued() {
        Receipts receipts = ctx.receiptDesk().receipts();
        Checkouts.Completed<Optional<Receipts.Made>> done = ctx.checkouts().complete(new CheckoutRequest(member.id(),
                350_000L, List.of(), CheckoutRequest.CouponChoice.NONE, 0, 0), manager, receipts::keep);
        assertThat(done.receipt().tierAfter()).isEqualTo(Tier.GOLD);
        // kept in the checkout's transaction, as any other: the perk was issued there before the wallet was read
        ReceiptDoc.Sale sale = (ReceiptDoc.Sale) done.also().orElseThrow().doc();
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM receipt_copy")).isEqualTo(1);
        assertThat(sale.tierAfter()).isEqualTo(Tier.GOLD);
        assertThat(sale.member().coupons()).extracting(ReceiptDoc.WalletCoupon::name).contains("金卡 9 折 (最多减¥50)");
        assertThat(receipts.sale(done.receipt()).doc()).as("made again after the commit, the same").isEqualTo(sale);
    }

    @Test
    void theFirstPrintIsAnOriginalAndLaterOnesAreMarkedAsReprints() {
        ReceiptDesk desk = desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyFake", 9600, "", 32, true));
        CheckoutReceipt r = checkout();
        ReceiptDesk.Outcome first = desk.issue(desk.receipts().sale(r));
        assertThat(first.status()).isEqualTo(ReceiptDesk.Status.PRINTED);
        assertThat(first.plainText()).doesNotContain("重印");
        ReceiptDesk.Outcome second = desk.print(desk.receipts().last().orElseThrow());
        assertThat(second.status()).isEqualTo(ReceiptDesk.Status.PRINTED);
        assertThat(second.plainText()).contains("*** 重印 ***");
        assertThat(sent).hasSize(2);
        assertThat(second.message().format(Messages.bundle(Messages.CHINESE))).contains("已重新打印", r.receiptNo());
    }

    @Test
    void anUnpluggedPrinterNeverLosesTheSaleAndTheReceiptPrintsLater() {
        ReceiptDesk desk = desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 9600, "", 32, true));
        printerUnplugged = true;
        CheckoutReceipt r = checkout();
        ReceiptDesk.Outcome failed = desk.issue(desk.receipts().sale(r));

        assertThat(failed.status()).isEqualTo(ReceiptDesk.Status.FAILED);
        assertThat(failed.message().format(Messages.bundle(Locale.ENGLISH)))
                .contains(r.receiptNo(), "could not be printed", "/dev/ttyUSB0", "The sale is saved", "F4");
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM checkout")).isEqualTo(1);
        assertThat(sent).isEmpty();

        printerUnplugged = false;
        ReceiptDesk.Outcome later = desk.print(desk.receipts().last().orElseThrow());
        assertThat(later.status()).isEqualTo(ReceiptDesk.Status.PRINTED);
        assertThat(later.plainText()).as("it never printed: this is the original").doesNotContain("重印");
    }

    @Test
    void aRefundIsTheLastReceiptAndSaysWhatWasHandedBack() {
        CheckoutReceipt r = checkout();
        ctx.receiptDesk().receipts().sale(r);
        clock.advance(Duration.ofMinutes(5));
        RefundReceipt back = ctx.refunds().refund(r.receiptNo(), List.of(2), manager, manager);
        Receipts.Made made = ctx.receiptDesk().receipts().refund(back);

        Receipts.Made last = ctx.receiptDesk().receipts().last().orElseThrow();
        assertThat(last.doc()).isEqualTo(made.doc());
        ReceiptDoc.Refund doc = (ReceiptDoc.Refund) last.doc();
        assertThat(doc.receiptNo()).isEqualTo(r.receiptNo());
        assertThat(doc.lines()).containsExactly(2);
        assertThat(doc.payableFen()).isEqualTo(back.payableFen());
        assertThat(doc.pointsBalance()).isEqualTo(back.pointsBalance());
        String text = desk(PrinterSettings.defaults()).show(last, ReceiptDesk.Status.NO_PRINTER).plainText();
        assertThat(text).contains("退款单", back.refundNo(), "原小票", "退还金额", "会员 ****" + member.cardCode().substring(9));
    }

    @Test
    void aVoidThatTookTheTierRaiseBackPrintsTheTierAndTheVoidedPerks() {
        CheckoutReceipt raise = ctx.checkouts().complete(new CheckoutRequest(member.id(), 350_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), manager);
        assertThat(raise.tierAfter()).isEqualTo(Tier.GOLD);
        ctx.memberUpkeep().bringUpToDate(member.id()); // the Gold perk
        clock.advance(Duration.ofMinutes(5));
        RefundReceipt v = ctx.refunds().voidCheckout(raise.receiptNo(), manager, manager);
        assertThat(v.upgradeUndone().perksVoided()).hasSize(1);
        String perk = v.upgradeUndone().perksVoided().get(0);

        ReceiptDesk desk = desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyFake", 9600, "", 32, true));
        ReceiptDesk.Outcome printed = desk.issue(desk.receipts().refund(v));

        assertThat(printed.status()).isEqualTo(ReceiptDesk.Status.PRINTED);
        assertThat(printed.plainText()).contains("会员等级回到普通", "礼遇券 " + perk + " 已作废。");
        String bytes = java.util.HexFormat.of().formatHex(sent.get(0));
        assertThat(bytes).contains(java.util.HexFormat.of().formatHex("会员等级回到普通".getBytes(EscPosTest.GB18030)))
                .contains(java.util.HexFormat.of().formatHex(perk.getBytes(EscPosTest.GB18030)));
        // a reprint reads it from the void's own record and says the same
        ReceiptDoc.Refund again = (ReceiptDoc.Refund) desk.receipts().find(v.refundNo()).orElseThrow().doc();
        assertThat(again.tierBack()).isEqualTo(Tier.NORMAL);
        assertThat(again.perksVoided()).containsExactly(perk);
    }

    @Test
    void noPrinterShowsTheReceiptOnly() {
        ReceiptDesk desk = desk(PrinterSettings.defaults());
        ReceiptDesk.Outcome o = desk.issue(desk.receipts().sale(checkout()));
        assertThat(o.status()).isEqualTo(ReceiptDesk.Status.NO_PRINTER);
        assertThat(o.rows()).isNotEmpty();
        assertThat(sent).isEmpty();
    }
}
