package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.catalog.Product;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.staff.Staff;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The void and refund screen without the FX toolkit: same-thread work, an in-memory terminal. */
class RefundViewModelTest {
    private static final String CASHIER = "wu";
    private static final String CASHIER_PIN = "135790";

    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterViewModel counter;
    private final List<RefundReceipt> receipts = new ArrayList<>();

    /** A counter with 吴 (a cashier) signed in, and a checkout of 王芳's rung up there: beans and milk, points and stored value. */
    private CheckoutReceipt open(Locale locale) {
        fx = new CounterFixture(dir, locale, "");
        var ctx = fx.ctx;
        Staff manager = ctx.staffAccounts().authenticate(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        Staff cashier = ctx.staffAccounts().add(manager, CASHIER, "吴", StaffRole.CASHIER, CASHIER_PIN);
        ctx.database().jdbi().useTransaction(h -> ctx.productRepository().put(h,
                new Product("BEAN-YIRG", "耶加雪菲咖啡豆", "Yirgacheffe beans", "咖啡豆"), OffsetDateTime.now(fx.clock)));
        CheckoutReceipt sale = ctx.checkouts().complete(new CheckoutRequest(fx.wang.id(), null, List.of(
                new PurchaseLine("BEAN-YIRG", "咖啡豆", 1, 8_800), new PurchaseLine("MILK-1L", "乳品", 2, 2_400)),
                CheckoutRequest.CouponChoice.NONE, 100, 2_000), cashier);
        counter = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(),
                ctx.checkouts(), () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), locale,
                ctx.clock(), BackgroundTasks.onCallingThread(), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
        counter.start();
        return sale;
    }

    private RefundViewModel screen(BackgroundTasks tasks) {
        counter.statusBar().signIn(CASHIER, CASHIER_PIN);
        RefundViewModel screen = counter.refundScreen(fx.ctx.refunds(), tasks).orElseThrow();
        screen.onRefunded(receipts::add);
        return screen;
    }

    private RefundViewModel screen() {
        return screen(BackgroundTasks.onCallingThread());
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private long points() {
        return fx.count("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", fx.wang.id());
    }

    private long storedValue() {
        return fx.count("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", fx.wang.id());
    }

    private static List<String> figures(RefundViewModel screen) {
        return screen.figures().stream().map(f -> f.label() + " " + f.value()).toList();
    }

    @Test
    void nobodySignedInOpensNoScreenAndTheCounterSaysToSignIn() {
        open(Locale.ENGLISH);

        Optional<RefundViewModel> screen = counter.refundScreen(fx.ctx.refunds(), BackgroundTasks.onCallingThread());

        assertThat(screen).isEmpty();
        assertThat(counter.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(counter.messages().messageProperty().get())
                .isEqualTo("Sign in first (status bar): a void or refund is recorded with the cashier who makes it.");
    }

    /**
     * Another store's member, never shown here: the screen asks head office for their records itself (as showing the
     * member at the counter would) instead of a refusal about paying another way, and reads the receipt again once
     * they have come.
     */
    @Test
    void aReceiptOfAMemberWhoseBalancesAreNotHereAsksForThemAndIsReadAgainWhenTheyCome() {
        CheckoutReceipt sale = open(Locale.ENGLISH);
        var ctx = fx.ctx;
        ctx.database().jdbi().useHandle(h -> h.createUpdate("UPDATE member SET home_store = 'S002' WHERE id = :m")
                .bind("m", fx.wang.id()).execute());
        // this store as part of a chain: the member's balances are another store's until their records come
        Refunds inChain = new Refunds(ctx.database().jdbi(), ctx.memberRepository(), ctx.purchaseRepository(),
                ctx.pointsLedger(), ctx.storedValueLedger(), ctx.couponRepository(), ctx.ruleSetRepository(),
                ctx.tierLedger(), ctx.outbox(), ctx.auditLog(), ctx.hlc(), ctx.clock(), "S001", "T1",
                new dev.counterpoint.history.ChainHistory("S001", true), ctx.json(), Refunds.ReceiptSource.NONE,
                ctx.productRepository());
        List<java.util.UUID> asked = new ArrayList<>();
        counter.onMemberShown(asked::add);
        counter.statusBar().signIn(CASHIER, CASHIER_PIN);
        RefundViewModel screen = counter.refundScreen(inChain, BackgroundTasks.onCallingThread()).orElseThrow();

        screen.open();
        assertThat(screen.receiptNoProperty().get()).isEqualTo(sale.receiptNo());
        assertThat(asked).containsExactly(fx.wang.id());
        assertThat(screen.messageProperty().get()).isEqualTo("王芳's points and stored value are not at this store yet: "
                + "asking head office for them. The receipt is read again once they have come.");
        screen.toggle(screen.lines().get(0));
        assertThat(screen.messageProperty().get()).startsWith("This refund gives back or takes back points or stored value, "
                + "but this store does not hold the member's balances yet.").doesNotContain("pay another way");
        assertThat(screen.previewProperty().get()).isNull();

        ctx.database().jdbi().useHandle(h -> dev.counterpoint.history.ChainHistory.mark(h, List.of(fx.wang.id()),
                OffsetDateTime.now(fx.clock)));
        counter.onSyncStatus(new dev.counterpoint.sync.SyncStatus(true, true, fx.clock.instant(), 0, 0, fx.wang.id(), 0));
        assertThat(screen.messageProperty().get()).isEqualTo("Tick the lines to take back, or void the whole checkout.");
        screen.toggle(screen.lines().get(0));
        assertThat(screen.previewProperty().get()).as("the refund can now be worked out").isNotNull();
    }

    @Test
    void aTickedLineIsRefundedWithTheManagersApprovalAndTheCounterFollows() {
        CheckoutReceipt sale = open(Locale.ENGLISH);
        long pointsBefore = points();
        long svBefore = storedValue();
        RefundViewModel screen = screen();

        screen.open();

        assertThat(screen.cashierTextProperty().get()).isEqualTo("Cashier: 吴 (wu)");
        assertThat(screen.receiptNoProperty().get()).isEqualTo(sale.receiptNo());
        assertThat(screen.receiptTextProperty().get())
                .isEqualTo("Receipt " + sale.receiptNo() + " · 2026-03-10 09:30 · Test Store, terminal T1 · cashier wu");
        assertThat(screen.memberTextProperty().get()).isEqualTo("Member 王芳 · card " + fx.wang.cardCode());
        assertThat(screen.paidTextProperty().get()).isEqualTo("Total ¥112.00 · 100 points −¥1.00 · stored value ¥20.00 · "
                + "paid otherwise ¥91.00 · " + sale.pointsEarned() + " points earned");
        assertThat(screen.lines()).extracting(RefundViewModel.LineRow::text, RefundViewModel.LineRow::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1. Yirgacheffe beans", "¥88.00"),
                        org.assertj.core.groups.Tuple.tuple("2. MILK-1L ×2", "¥24.00"));
        assertThat(screen.voidAllowedProperty().get()).as("rung up here today").isTrue();
        assertThat(screen.messageProperty().get()).isEqualTo("Tick the lines to take back, or void the whole checkout.");
        assertThat(screen.canConfirmProperty().get()).isFalse();
        assertThat(screen.previewNoteProperty().get()).isEqualTo("Tick a line to see what will be reversed.");

        screen.toggle(screen.lines().get(0));

        assertThat(figures(screen)).containsExactly("Goods taken back ¥88.00", "Hand back (cash, card…) ¥71.50",
                "Stored value back ¥15.71", "Points given back +79 (worth ¥0.79)",
                "Points taken back −" + screen.previewProperty().get().pointsClawedBack());
        assertThat(screen.canConfirmProperty().get()).isTrue();
        assertThat(fx.count("SELECT COUNT(*) FROM refund")).as("a preview writes nothing").isZero();

        // The manager's approval is asked for on the screen; a wrong PIN is counted and changes nothing else.
        screen.confirm();
        assertThat(screen.messageProperty().get()).isEqualTo("A void or refund needs a manager: type their staff id and PIN.");
        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set("999999");
        long events = fx.count("SELECT COUNT(*) FROM outbox_event");
        screen.confirm();
        assertThat(screen.messageKindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(screen.messageProperty().get()).isEqualTo("Wrong PIN for lin: 4 tries left before the account is locked.");
        assertThat(screen.managerPinProperty().get()).as("a PIN is typed afresh").isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM refund")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
        assertThat(points()).isEqualTo(pointsBefore);
        assertThat(receipts).isEmpty();

        // A cashier cannot approve their own refund.
        screen.managerIdProperty().set(CASHIER);
        screen.managerPinProperty().set(CASHIER_PIN);
        screen.confirm();
        assertThat(fx.count("SELECT COUNT(*) FROM refund")).isZero();
        assertThat(screen.messageProperty().get()).isEqualTo("Staff wu may not do this: it needs the manager role.");

        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();

        assertThat(receipts).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(RefundKind.REFUND);
            assertThat(r.lines()).containsExactly(1);
            assertThat(r.payableFen()).isEqualTo(7_150);
        });
        RefundReceipt r = receipts.get(0);
        assertThat(screen.messageKindProperty().get()).isEqualTo(CounterMessages.Kind.SUCCESS);
        assertThat(screen.messageProperty().get()).isEqualTo("Refund " + r.refundNo() + " of receipt " + sale.receiptNo()
                + " done: hand back ¥71.50; stored value back ¥15.71; points given back 79; points taken back "
                + r.pointsClawedBack() + ".");
        assertThat(counter.messages().messageProperty().get()).isEqualTo(screen.messageProperty().get());
        assertThat(fx.count("SELECT COUNT(*) FROM refund WHERE staff_id = ? AND manager_id = ?", CASHIER,
                CounterFixture.MANAGER)).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_log WHERE action = 'CHECKOUT_REFUNDED'")).isEqualTo(1);
        assertThat(points()).isEqualTo(pointsBefore + 79 - r.pointsClawedBack());
        assertThat(storedValue()).isEqualTo(svBefore + 1_571);
        // The counter showed nobody: it now shows the member, as they stand after the refund.
        assertThat(counter.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(counter.memberPanel().pointsProperty().get()).isEqualTo(String.format(Locale.ENGLISH, "%,d", points()));
        assertThat(counter.memberPanel().storedValueProperty().get())
                .isEqualTo(dev.counterpoint.shared.Money.format(storedValue()));
        // The receipt as it stands now: line 1 is back, the checkout can no longer be voided.
        assertThat(screen.lines().get(0).refunded()).isTrue();
        assertThat(screen.lines()).extracting(RefundViewModel.LineRow::takenBackText).containsExactly("refunded", "");
        assertThat(screen.lines().get(0).lockedProperty().get()).isTrue();
        assertThat(screen.voidAllowedProperty().get()).isFalse();
        assertThat(screen.voidNoteProperty().get())
                .isEqualTo("Part of receipt " + sale.receiptNo() + " was refunded already: refund the rest instead of voiding.");
        screen.kindProperty().set(RefundKind.VOID);
        assertThat(screen.kindProperty().get()).as("no void of a receipt partly refunded").isEqualTo(RefundKind.REFUND);
        assertThat(screen.canConfirmProperty().get()).isFalse();
    }

    @Test
    void aVoidTakesTheWholeCheckoutBackAndAnotherMemberOnTheCounterStays() {
        CheckoutReceipt sale = open(Locale.SIMPLIFIED_CHINESE);
        long pointsBefore = points() - sale.pointsEarned() + 100;
        long svBefore = storedValue() + 2_000;
        counter.onScan(new dev.counterpoint.scan.ScanEvent(fx.li.cardCode(), dev.counterpoint.scan.ScanEvent.Source.WEDGE,
                fx.clock.instant()));
        RefundViewModel screen = screen();
        screen.open();

        screen.kindProperty().set(RefundKind.VOID);

        assertThat(screen.lines()).hasSize(2).allSatisfy(l -> {
            assertThat(l.chosenProperty().get()).isTrue();
            assertThat(l.lockedProperty().get()).isTrue();
        });
        assertThat(screen.confirmTextProperty().get()).isEqualTo("撤销 [回车]");
        assertThat(figures(screen)).contains("退回商品金额 ¥112.00", "退回储值 ¥20.00");
        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();

        assertThat(receipts).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(RefundKind.VOID);
            assertThat(r.complete()).isTrue();
        });
        RefundReceipt v = receipts.get(0);
        assertThat(screen.messageProperty().get()).as("it raised no tier").isEqualTo("小票 " + sale.receiptNo() + " 已撤销（"
                + v.refundNo() + "）：退还顾客 ¥91.00；退回储值 ¥20.00；退回积分 100；扣回积分 " + v.pointsClawedBack() + "。");
        assertThat(points()).isEqualTo(pointsBefore);
        assertThat(storedValue()).isEqualTo(svBefore);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_log WHERE action = 'CHECKOUT_VOIDED' AND staff_id = ?",
                CounterFixture.MANAGER)).isEqualTo(1);
        assertThat(counter.memberPanel().nameProperty().get()).as("the member being served stays").isEqualTo("李雷");
        assertThat(screen.lines()).hasSize(2).allMatch(RefundViewModel.LineRow::refunded);
        assertThat(screen.lines()).extracting(RefundViewModel.LineRow::takenBackText).containsOnly("已撤销");
        assertThat(screen.linesLeftProperty().get()).isFalse();
        assertThat(screen.voidNoteProperty().get()).isEmpty();
    }

    static Stream<Arguments> tierRaiseTakenBack() {
        return Stream.of(
                Arguments.of(Locale.ENGLISH, "Tier back to Silver; 1 perk coupon voided.",
                        "Receipt %s voided (%s): hand back ¥2,000.00; points taken back %s.", " ", "voided"),
                Arguments.of(Locale.SIMPLIFIED_CHINESE, "会员等级回到银卡，作废礼遇券 1 张。",
                        "小票 %s 已撤销（%s）：退还顾客 ¥2,000.00；扣回积分 %s。", "", "已撤销"));
    }

    /**
     * The preview of a void that takes a tier raise back says so before the manager approves it, in the words the
     * result then uses; a refund of the same checkout takes no tier back and says nothing of it.
     */
    @ParameterizedTest
    @MethodSource("tierRaiseTakenBack")
    void aVoidThatTakesTheTierRaiseBackSaysSoBeforehandAndAfterwardsInTheSameWords(Locale locale, String tierBack,
                                                                                 String voided, String between,
                                                                                 String badge) {
        open(locale);
        var ctx = fx.ctx;
        Staff cashier = ctx.staffAccounts().authenticate(CASHIER, CASHIER_PIN);
        ctx.checkouts().complete(new CheckoutRequest(fx.wang.id(), 100_000L, List.of(), CheckoutRequest.CouponChoice.NONE,
                0, 0), cashier);
        ctx.memberUpkeep().bringUpToDate(fx.wang.id()); // Silver, and its perk
        fx.clock.advance(Duration.ofMinutes(5));
        CheckoutReceipt raise = ctx.checkouts().complete(new CheckoutRequest(fx.wang.id(), 200_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), cashier);
        assertThat(raise.tierAfter()).isEqualTo(dev.counterpoint.protocol.Tier.GOLD);
        ctx.memberUpkeep().bringUpToDate(fx.wang.id()); // the Gold perk
        RefundViewModel screen = screen();
        screen.open();
        assertThat(screen.receiptNoProperty().get()).isEqualTo(raise.receiptNo());

        screen.chooseAll();
        assertThat(screen.previewProperty().get()).isNotNull();
        assertThat(screen.tierTextProperty().get()).as("a refund never lowers a tier").isEmpty();
        screen.kindProperty().set(RefundKind.VOID);
        assertThat(screen.previewProperty().get().kind()).isEqualTo(RefundKind.VOID);
        assertThat(screen.tierTextProperty().get()).isEqualTo(tierBack);
        assertThat(fx.count("SELECT COUNT(*) FROM tier_event WHERE reason = 'UPGRADE_VOIDED'"))
                .as("nothing written yet").isZero();
        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();

        RefundReceipt r = receipts.get(0);
        assertThat(r.upgradeUndone().toTier()).isEqualTo(dev.counterpoint.protocol.Tier.SILVER);
        assertThat(r.upgradeUndoneMessage().orElseThrow().format(locale)).isEqualTo(tierBack);
        // nothing was paid with stored value or points: only what was, the hand-back and the points earned taken back
        assertThat(screen.messageProperty().get()).isEqualTo(voided.formatted(raise.receiptNo(), r.refundNo(),
                java.text.NumberFormat.getIntegerInstance(locale).format(r.pointsClawedBack())) + between + tierBack);
        assertThat(counter.messages().messageProperty().get()).isEqualTo(screen.messageProperty().get());
        assertThat(screen.tierTextProperty().get()).as("the receipt shown again has nothing left to void").isEmpty();
        assertThat(screen.lines()).isNotEmpty().extracting(RefundViewModel.LineRow::takenBackText).containsOnly(badge);
    }

    /** A checkout paid whole with stored value: nothing to hand over is said, and no zero points. */
    @ParameterizedTest
    @MethodSource("paidWithStoredValue")
    void aVoidNamesOnlyWhatWentBackAndTheHandBackEvenWhenItIsNothing(Locale locale, String expected) {
        open(locale);
        Staff cashier = fx.ctx.staffAccounts().authenticate(CASHIER, CASHIER_PIN);
        CheckoutReceipt sale = fx.ctx.checkouts().complete(new CheckoutRequest(fx.wang.id(), 3_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 3_000), cashier);
        assertThat(sale.payableFen()).isZero();
        RefundViewModel screen = screen();
        screen.open();
        screen.kindProperty().set(RefundKind.VOID);
        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();

        RefundReceipt r = receipts.get(0);
        assertThat(screen.messageProperty().get()).isEqualTo(expected.formatted(sale.receiptNo(), r.refundNo(),
                r.pointsClawedBack()));
    }

    static Stream<Arguments> paidWithStoredValue() {
        return Stream.of(
                Arguments.of(Locale.ENGLISH,
                        "Receipt %s voided (%s): hand back ¥0.00; stored value back ¥30.00; points taken back %s."),
                Arguments.of(Locale.SIMPLIFIED_CHINESE, "小票 %s 已撤销（%s）：退还顾客 ¥0.00；退回储值 ¥30.00；扣回积分 %s。"));
    }

    /** The counter's line under the sale told of the checkout; once it is voided that line no longer holds. */
    @Test
    void aVoidOfTheCheckoutTheSaleLineTellsOfClearsThatLineAndNoOther() {
        CheckoutReceipt earlier = open(Locale.ENGLISH);
        counter.statusBar().signIn(CASHIER, CASHIER_PIN);
        counter.onScan(new dev.counterpoint.scan.ScanEvent(fx.li.cardCode(), dev.counterpoint.scan.ScanEvent.Source.WEDGE,
                fx.clock.instant()));
        counter.checkout().saleAmountProperty().set("30");
        counter.checkout().recordSale();
        String line = counter.checkout().receiptProperty().get();
        java.util.regex.Matcher told = java.util.regex.Pattern.compile("^Receipt (\\S+): ¥30\\.00").matcher(line);
        assertThat(told.find()).as(line).isTrue();
        RefundViewModel screen = screen();
        screen.open();
        screen.receiptNoProperty().set(earlier.receiptNo()); // another checkout than the line's
        screen.load();
        screen.kindProperty().set(RefundKind.VOID);
        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();
        assertThat(screen.messageProperty().get()).startsWith("Receipt " + earlier.receiptNo() + " voided");
        assertThat(counter.checkout().receiptProperty().get()).as("it tells of another checkout").isEqualTo(line);

        screen.receiptNoProperty().set(told.group(1));
        screen.load();
        screen.kindProperty().set(RefundKind.VOID);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();
        assertThat(screen.messageProperty().get()).startsWith("Receipt " + told.group(1) + " voided");
        assertThat(counter.checkout().receiptProperty().get()).isEmpty();
    }

    @Test
    void aReceiptNumberThatIsNotACheckoutSaysWhyAndShowsNothing() {
        CheckoutReceipt sale = open(Locale.ENGLISH);
        RefundViewModel screen = screen();
        screen.open();

        screen.receiptNoProperty().set("S009-T9-000001");
        screen.load();
        assertThat(screen.loadedProperty().get()).isFalse();
        assertThat(screen.lines()).isEmpty();
        assertThat(screen.messageProperty().get()).startsWith("There is no checkout with receipt S009-T9-000001 here");

        screen.receiptNoProperty().set("S001\u202eT1");
        screen.load();
        assertThat(screen.messageProperty().get()).startsWith("That is not a receipt number");

        screen.scanned(sale.receiptNo()); // a serial scanner's read, wherever the keyboard is
        assertThat(screen.receiptNoProperty().get()).isEqualTo(sale.receiptNo());
        assertThat(screen.loadedProperty().get()).isTrue();
        screen.chooseAll();
        screen.managerIdProperty().set(CounterFixture.MANAGER);
        screen.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        screen.confirm();
        String refundNo = receipts.get(0).refundNo();
        assertThat(screen.messageProperty().get()).contains("Refund " + refundNo);
        assertThat(screen.lines()).hasSize(2).allMatch(RefundViewModel.LineRow::refunded);

        screen.load();
        assertThat(screen.messageProperty().get()).isEqualTo("Every line of receipt " + sale.receiptNo() + " was refunded already.");
        screen.receiptNoProperty().set(refundNo);
        screen.load();
        assertThat(screen.messageProperty().get()).isEqualTo(refundNo + " is the number of a void or refund (of receipt "
                + sale.receiptNo() + "): type the checkout's receipt number.");
    }

    @Test
    void aReceiptOfAnEarlierDayCanBeRefundedNotVoided() {
        open(Locale.ENGLISH);
        fx.clock.advance(Duration.ofDays(1));
        RefundViewModel screen = screen();
        screen.open();

        assertThat(screen.voidAllowedProperty().get()).isFalse();
        assertThat(screen.voidNoteProperty().get()).endsWith("is not from today: it can be refunded, not voided.");
        assertThat(screen.messageProperty().get()).isEqualTo("Tick the lines to take back.");
        screen.kindProperty().set(RefundKind.VOID);
        assertThat(screen.kindProperty().get()).isEqualTo(RefundKind.REFUND);
        assertThat(screen.lines()).hasSize(2).noneMatch(l -> l.chosenProperty().get());
    }

    @Test
    void onlyTheAnswerToTheLastChoiceIsShown() {
        open(Locale.ENGLISH);
        Deque<Runnable> background = new ArrayDeque<>();
        counter.statusBar().signIn(CASHIER, CASHIER_PIN);
        RefundViewModel screen = screen(new BackgroundTasks(Runnable::run, background::add));
        screen.open();
        while (!background.isEmpty()) {
            background.poll().run();
        }
        assertThat(screen.loadedProperty().get()).isTrue();

        screen.toggle(screen.lines().get(0));
        screen.toggle(screen.lines().get(1)); // ticked before the first line's figures came
        assertThat(screen.previewNoteProperty().get()).isEqualTo("Working out what will be reversed…");
        assertThat(screen.canConfirmProperty().get()).isFalse();
        while (!background.isEmpty()) {
            background.poll().run();
        }

        assertThat(screen.previewProperty().get().lines()).containsExactly(1, 2);
        assertThat(figures(screen)).first().isEqualTo("Goods taken back ¥112.00");
        assertThat(screen.canConfirmProperty().get()).isTrue();
    }
}
