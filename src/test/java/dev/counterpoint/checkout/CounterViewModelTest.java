package dev.counterpoint.checkout;

import dev.counterpoint.shared.BackgroundTasks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counter's behaviour without the FX toolkit: same-thread executors, an in-memory terminal. */
class CounterViewModelTest {
    private static final Executor SAME_THREAD = Runnable::run;

    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterViewModel vm;

    private CounterViewModel open(Locale locale) {
        fx = new CounterFixture(dir, locale, "");
        var ctx = fx.ctx;
        vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), locale, ctx.clock(),
                BackgroundTasks.onCallingThread(), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
        vm.start();
        vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        return vm;
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private void scan(String code) {
        vm.onScan(new ScanEvent(code, ScanEvent.Source.WEDGE, fx.clock.instant()));
    }

    @Test
    void aResultThatCannotBeShownIsReportedAndTheCounterKeepsWorking() {
        fx = new CounterFixture(dir, Locale.ENGLISH, "");
        var ctx = fx.ctx;
        vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), Locale.ENGLISH,
                ctx.clock(), BackgroundTasks.onCallingThread(), ctx.scanCheck(), (day, who) -> null, ctx.staffAccounts(), ctx.memberTags()); // nothing to show
        vm.start();

        vm.statusBar().closeDay(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);

        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("That did not work because of a technical problem; the details are in the log. Please try again.");
        assertThat(vm.statusBar().busyProperty().get()).isFalse();
        scan(fx.wang.cardCode());
        assertThat(vm.memberPanel().nameProperty().get()).as("the next scan still goes through").isEqualTo("王芳");
    }

    @Test
    void aStartCheckRunsBeforeAScanThatArrivesAtOnceAndWhatItFindsIsShown() {
        fx = new CounterFixture(dir, Locale.ENGLISH, "");
        var ctx = fx.ctx;
        Deque<Runnable> background = new ArrayDeque<>();
        vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), Locale.ENGLISH,
                ctx.clock(), new BackgroundTasks(SAME_THREAD, background::add), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
        List<String> ran = new ArrayList<>();
        vm.start(() -> {
            ran.add("check");
            return Optional.of(new UserMessage("rules.fileRefused", "tierReviewDate: must be a date"));
        });
        scan(fx.wang.cardCode()); // the scanner fires before the check has run

        background.poll().run();
        assertThat(ran).containsExactly("check");
        assertThat(vm.memberPanel().memberShownProperty().get()).as("the lookup waits behind the check").isFalse();
        assertThat(vm.messages().messageProperty().get()).contains("tierReviewDate: must be a date");
        while (!background.isEmpty()) {
            background.poll().run();
        }
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(vm.lookup().lastScanProperty().get()).isEqualTo(fx.wang.cardCode());
    }

    @Test
    void aScanShowsTheMemberPanel() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());

        assertThat(vm.memberPanel().memberShownProperty().get()).isTrue();
        assertThat(vm.lookup().lastScanProperty().get()).isEqualTo(fx.wang.cardCode());
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(vm.memberPanel().phoneProperty().get()).isEqualTo("138****5678");
        assertThat(vm.memberPanel().cardCodeProperty().get()).isEqualTo(fx.wang.cardCode());
        assertThat(vm.memberPanel().tierProperty().get()).isEqualTo(Tier.NORMAL);
        assertThat(vm.memberPanel().tierTextProperty().get()).isEqualTo("Standard");
        assertThat(vm.memberPanel().pointsProperty().get()).isEqualTo("200");
        assertThat(vm.memberPanel().storedValueProperty().get()).isEqualTo("¥100.00");
        assertThat(vm.memberPanel().lastVisitProperty().get()).isEqualTo("Last visit 2026-01-29");
        assertThat(vm.memberPanel().favourites()).containsExactly("BEAN-YIRG (咖啡豆) · bought 2 times");
        assertThat(vm.memberPanel().purchases()).extracting(MemberPanelFormat.PurchaseRow::amount).containsExactly("¥88.00", "¥112.00");
        assertThat(vm.memberPanel().purchases().get(1).items()).isEqualTo("BEAN-YIRG, MILK-1L ×2");
        assertThat(vm.memberPanel().suggestions()).extracting(r -> r.suggestion().reason())
                .containsExactly(ReasonCode.BIRTHDAY, ReasonCode.WIN_BACK);
        assertThat(vm.memberPanel().suggestions().get(0).title()).matches("Birthday ¥20 off ¥50 · CP[A-Z2-9]{10}");
        assertThat(vm.memberPanel().suggestions().get(0).reason()).isEqualTo("Birthday in 3 days (2026-03-13)");
        assertThat(vm.memberPanel().suggestions().get(1).reason()).isEqualTo("Not seen for 40 days");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Member found: 王芳");
        // 4 from the fixture, then the birthday and win-back coupons issued when 王芳 is shown
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("Offline · 8 pending");
        assertThat(fx.events("coupon.issued")).isEqualTo(2);
        assertThat(vm.statusBar().storeTextProperty().get()).isEqualTo("Test Store (S001) · terminal T1");
    }

    @Test
    void aNewMemberIsTaggedAndOfferedTheWelcomeCoupon() {
        open(Locale.ENGLISH);
        scan(fx.li.cardCode());

        assertThat(vm.memberPanel().tags()).containsExactly("New member");
        assertThat(vm.memberPanel().phoneProperty().get()).isEqualTo("139****1111");
        assertThat(vm.memberPanel().storedValueProperty().get()).isEqualTo("¥0.00");
        assertThat(vm.memberPanel().suggestions()).singleElement().satisfies(s -> {
            assertThat(s.title()).startsWith("Welcome ¥10 off · CP");
            assertThat(s.reason()).isEqualTo("New member welcome");
        });
        assertThat(vm.memberPanel().lastVisitProperty().get()).isEqualTo("No visit yet");
    }

    @Test
    void anUnknownCardOfTheStoreOffersEnrolmentWhichGivesTheMemberThatCardAndShowsThem() {
        open(Locale.ENGLISH);
        scan("2999999999991");

        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("No member with code 2999999999991");
        assertThat(vm.lookup().enrolCard()).isEqualTo("2999999999991");
        assertThat(vm.lookup().enrolCardTextProperty().get())
                .isEqualTo("The card in their hand, 2999999999991, becomes theirs on enrolment.");

        vm.lookup().enrolNameProperty().set("  张伟 ");
        vm.lookup().enrolPhoneProperty().set("+86 137-0000-2222");
        vm.lookup().enrolBirthdayProperty().set("1985-07-01");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrolMarketingWechatProperty().set(true);
        vm.lookup().enrol();

        assertThat(vm.lookup().enrolShownProperty().get()).isFalse();
        assertThat(vm.memberPanel().memberShownProperty().get()).isTrue();
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("张伟");
        assertThat(vm.memberPanel().phoneProperty().get()).isEqualTo("137****2222");
        assertThat(vm.memberPanel().cardCodeProperty().get()).isEqualTo("2999999999991");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Welcome, 张伟! Card 2999999999991 is now theirs.");
        assertThat(vm.memberPanel().cardRequestProperty().get()).as("the card is in their hand: nothing to print").isNull();
        assertThat(fx.events("member.enrolled")).isEqualTo(3);
        assertThat(fx.events("member.consent")).isEqualTo(1);
        // enrolment and its consent, then the welcome coupon issued when the new member is shown
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("Offline · 9 pending");
        // What the member agreed to is recorded per channel, with the time and this terminal; nothing is left ticked.
        UUID id = fx.ctx.memberService().findByCode("2999999999991").orElseThrow().id();
        assertThat(fx.ctx.memberService().consent(id)).extracting(c -> c.channel() + "=" + c.granted() + "@" + c.terminalId())
                .containsExactly("PRIVACY_NOTICE=true@T1", "MARKETING_SMS=false@T1", "MARKETING_WECHAT=true@T1");
        assertThat(List.of(vm.lookup().enrolPrivacyNoticeProperty().get(), vm.lookup().enrolMarketingSmsProperty().get(),
                vm.lookup().enrolMarketingWechatProperty().get())).containsOnly(false);

        scan("2999999999991");
        assertThat(vm.memberPanel().nameProperty().get()).as("the card now finds its member").isEqualTo("张伟");
    }

    @Test
    void aCodeThatIsNoCardOfTheStoreSaysSoAndEnrolmentIssuesANewNumber() {
        open(Locale.ENGLISH);
        scan("6901234567892"); // a product's barcode

        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.lookup().enrolCard()).isNull();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("No member with code 6901234567892: it is not a member "
                + "card of this store (13 digits starting with 29…). Scan again, or enrol to issue a new card number.");
        assertThat(vm.lookup().enrolCardTextProperty().get()).isEqualTo("A new card number is issued on enrolment.");

        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrol();

        String card = vm.memberPanel().cardCodeProperty().get();
        assertThat(card).matches("29\\d{11}").isNotEqualTo("6901234567892");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Welcome, 张伟! New card number " + card + ".");
        assertThat(vm.memberPanel().cardRequestProperty().get()).as("a new number: its card is printed")
                .isEqualTo(new dev.counterpoint.member.MemberCard("张伟", card));
    }

    @Test
    void aStoreWithItsOwnCardRangeBindsOnlyItsCardsAndSaysWhyAnotherIsNotTaken() {
        fx = new CounterFixture(dir, Locale.SIMPLIFIED_CHINESE, "card.range=2912\n");
        var ctx = fx.ctx;
        vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), Locale.SIMPLIFIED_CHINESE,
                ctx.clock(), BackgroundTasks.onCallingThread(), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
        vm.start();

        scan("2999999999991"); // another store's card: of the in-store range, not of this store's
        assertThat(vm.lookup().enrolCard()).isNull();
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("未找到会员：2999999999991。该卡不属于本店卡段（本店卡号以 2912… 开头），开卡将发放新卡号。");

        scan("2912345678906");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("未找到会员：2912345678906");
        assertThat(vm.lookup().enrolCard()).isEqualTo("2912345678906");
        assertThat(vm.lookup().enrolCardTextProperty().get()).isEqualTo("开卡后，顾客手中的卡 2912345678906 即归其所有。");
        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrol();
        assertThat(vm.memberPanel().cardCodeProperty().get()).isEqualTo("2912345678906");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("欢迎 张伟！卡 2912345678906 已开通。");
    }

    @Test
    void aCardInHandTakenMeanwhileIsRefusedAndTheFormStaysForAnotherCard() {
        open(Locale.ENGLISH);
        scan("2999999999991");
        // Another till enrols someone with the same number before this one is done (a sync brings it here).
        fx.ctx.memberService().enrol("王小明", "13600005678", null, null, "2999999999991");
        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrol();

        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("Card 2999999999991 already belongs to a member: give the customer another card.");
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.lookup().enrolNameProperty().get()).isEqualTo("张伟");
        assertThat(fx.ctx.memberService().search("13700002222")).isEmpty();
    }

    @Test
    void aCardNumberTypedInTheSearchIsTheCardInHandToo() {
        open(Locale.ENGLISH);
        vm.lookup().searchQueryProperty().set(" 2999999999991 ");
        vm.lookup().search();
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.lookup().enrolCard()).isEqualTo("2999999999991");

        vm.lookup().cancelEnrolment();
        vm.lookup().searchQueryProperty().set("2999999999992"); // a digit mistyped: no card of anyone's
        vm.lookup().search();
        assertThat(vm.lookup().enrolCard()).isNull();
        assertThat(vm.lookup().enrolCardTextProperty().get()).isEqualTo("A new card number is issued on enrolment.");
    }

    @Test
    void anErasedCardIsSaidToBeErasedAndOffersNoEnrolmentNorAnyAction() {
        open(Locale.ENGLISH);
        fx.ctx.memberService().erase(fx.li.id(), "manager");
        scan(fx.li.cardCode());

        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
        assertThat(vm.lookup().enrolShownProperty().get()).isFalse();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("Card " + fx.li.cardCode() + " was erased: its member asked for their personal data to be deleted.");
        vm.lookup().searchQueryProperty().set("李雷");
        vm.lookup().search();
        assertThat(vm.lookup().searchResults()).isEmpty();
        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
    }

    @Test
    void enrolmentWithoutThePrivacyNoticeIsRefusedAndWritesNothing() {
        open(Locale.ENGLISH);
        scan("2999999999991");
        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolMarketingSmsProperty().set(true);
        vm.lookup().enrol();

        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("The member must read and accept the privacy notice to enrol.");
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(fx.events("member.enrolled")).isEqualTo(2);
        assertThat(fx.events("member.consent")).isZero();
        assertThat(fx.ctx.memberService().search("13700002222")).isEmpty();
    }

    @Test
    void aRefusedEnrolmentSaysWhyAndKeepsWhatWasTyped() {
        open(Locale.ENGLISH);
        scan("2999999999991");
        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13800135678");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrol();

        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("This phone number already belongs to 王芳 (card " + fx.wang.cardCode() + ").");
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.lookup().enrolNameProperty().get()).isEqualTo("张伟");

        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolBirthdayProperty().set("1 July 1985");
        vm.lookup().enrol();
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("\u201c1 July 1985\u201d is not a date: write it as YYYY-MM-DD, e.g. 1990-05-31.");
        vm.lookup().enrolBirthdayProperty().set("1992-02-30");
        vm.lookup().enrol();
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("\u201c1992-02-30\u201d is no day of the calendar: check its month and day.");
        assertThat(fx.events("member.enrolled")).isEqualTo(2);
    }

    @Test
    void aSaleTypedForOneMemberIsNotTheNextMembersButOneTypedBeforeAnyScanIs() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("30");
        vm.payments().pointsToRedeemProperty().set("100");
        vm.payments().storedValueToTopUpProperty().set("50");
        scan(fx.li.cardCode());

        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo(fx.li.displayName());
        assertThat(vm.checkout().saleAmountProperty().get()).as("typed for the last member").isEmpty();
        assertThat(vm.payments().pointsToRedeemProperty().get()).isEmpty();
        assertThat(vm.payments().storedValueToTopUpProperty().get()).isEmpty();
        vm.checkout().recordSale();
        assertThat(fx.events("checkout.completed")).as("nothing billed to the member now shown").isZero();
        vm.checkout().saleAmountProperty().set("30");
        vm.payments().pointsToRedeemProperty().set("-100");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("\u201c-100\u201d is not a number of points: enter a whole number.");
        vm.payments().pointsToRedeemProperty().set("");

        // The basket rung up with nobody on the counter is the sale of the member scanned next, and stays theirs.
        vm.clear();
        vm.checkout().saleAmountProperty().set("42");
        scan(fx.wang.cardCode());
        assertThat(vm.checkout().saleAmountProperty().get()).isEqualTo("42");
        scan(fx.wang.cardCode());
        assertThat(vm.checkout().saleAmountProperty().get()).as("the same member again").isEqualTo("42");
        scan(fx.li.cardCode());
        assertThat(vm.checkout().saleAmountProperty().get()).as("now typed for the last member").isEmpty();
    }

    @Test
    void aLargeSaleGoesThroughOnlyOnASecondEnterForTheSameAmount() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("12345");
        vm.checkout().recordSale();

        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.WARNING);
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("¥12,345.00 is a large amount: press Enter again to confirm, Esc to correct.");
        assertThat(fx.events("checkout.completed")).as("nothing written on the first Enter").isZero();
        assertThat(vm.checkout().saleAmountProperty().get()).isEqualTo("12345");

        // Another amount is asked about again; the one asked about goes through on the next Enter.
        vm.checkout().saleAmountProperty().set("123450");
        vm.checkout().recordSale();
        assertThat(fx.events("checkout.completed")).isZero();
        assertThat(vm.messages().messageProperty().get()).startsWith("¥123,450.00 is a large amount");
        vm.checkout().recordSale();
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
        assertThat(vm.checkout().receiptProperty().get()).startsWith("Receipt S001-T1-000003: ¥123,450.00");

        // Up to ¥10,000 nothing is asked: one Enter, as before.
        vm.checkout().saleAmountProperty().set("10000");
        vm.checkout().recordSale();
        assertThat(fx.events("checkout.completed")).isEqualTo(2);
    }

    @Test
    void escTakesBackALargeAmountsConfirmationAndKeepsTheMemberAndAmountToCorrect() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("20000");
        vm.checkout().recordSale();
        int focusAsked = vm.checkout().amountWantedProperty().get();

        vm.escape();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Not completed: correct the amount, then press Enter.");
        assertThat(vm.memberPanel().memberShownProperty().get()).as("the member stays").isTrue();
        assertThat(vm.checkout().saleAmountProperty().get()).isEqualTo("20000");
        assertThat(vm.checkout().amountWantedProperty().get()).as("the amount takes the keyboard").isGreaterThan(focusAsked);
        vm.checkout().recordSale();
        assertThat(fx.events("checkout.completed")).as("asked again after Esc").isZero();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.WARNING);

        // With nothing to take back, Esc clears the counter as before.
        vm.escape();
        vm.escape();
        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
    }

    @Test
    void aLargeTopUpIsMadeOnlyOnASecondEnterAndAnotherMemberAsksAgain() {
        open(Locale.SIMPLIFIED_CHINESE);
        scan(fx.wang.cardCode());
        vm.payments().storedValueToTopUpProperty().set("100000");
        vm.payments().topUp();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("充值 ¥100,000.00 金额较大：再按一次 Enter 确认，按 Esc 修改。");
        assertThat(fx.events("stored_value.topped_up")).isZero();

        scan(fx.li.cardCode());
        vm.payments().storedValueToTopUpProperty().set("100000");
        vm.payments().topUp();
        assertThat(fx.events("stored_value.topped_up")).as("another member: asked again").isZero();
        vm.payments().topUp();
        assertThat(fx.events("stored_value.topped_up")).isEqualTo(1);
        assertThat(vm.checkout().receiptProperty().get()).startsWith("已充值 ¥100,000.00");
    }

    @Test
    void aVoidedAndARefundedPurchaseAreMarkedInTheHistoryAndCountOnlyWhatWasKept() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        assertThat(vm.memberPanel().tierProgressProperty().get()).isEqualTo("¥800.00 more spend to Silver");
        vm.checkout().saleAmountProperty().set("300");
        vm.checkout().recordSale();
        fx.clock.advance(java.time.Duration.ofMinutes(5));
        vm.checkout().lineSkuProperty().set("BEAN-YIRG");
        vm.checkout().lineAmountProperty().set("88");
        vm.checkout().addLine();
        vm.checkout().lineSkuProperty().set("MILK-1L");
        vm.checkout().lineAmountProperty().set("12");
        vm.checkout().addLine();
        vm.checkout().recordSale();
        var manager = fx.ctx.staffAccounts().authenticate(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        fx.ctx.refunds().voidCheckout("S001-T1-000003", manager, manager);
        fx.ctx.refunds().refund("S001-T1-000004", List.of(2), manager, manager);

        vm.clear();
        scan(fx.wang.cardCode());
        assertThat(vm.memberPanel().purchases()).extracting(MemberPanelFormat.PurchaseRow::receiptNo,
                        MemberPanelFormat.PurchaseRow::amount, MemberPanelFormat.PurchaseRow::reversalText)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("S001-T1-000004", "¥100.00", "¥12.00 refunded"),
                        org.assertj.core.groups.Tuple.tuple("S001-T1-000003", "¥300.00", "Voided"),
                        org.assertj.core.groups.Tuple.tuple("S001-T1-000002", "¥88.00", ""),
                        org.assertj.core.groups.Tuple.tuple("S001-T1-000001", "¥112.00", ""));
        assertThat(vm.memberPanel().purchases()).extracting(MemberPanelFormat.PurchaseRow::reversal).containsExactly(
                MemberPanelFormat.Reversal.PARTLY_REFUNDED, MemberPanelFormat.Reversal.VOIDED,
                MemberPanelFormat.Reversal.NONE, MemberPanelFormat.Reversal.NONE);
        // The tier figure is what the member kept, as the tier review counts it: ¥200 + ¥88, not ¥600.
        assertThat(vm.memberPanel().tierProgressProperty().get()).isEqualTo("¥712.00 more spend to Silver");

        fx.ctx.refunds().refund("S001-T1-000004", List.of(), manager, manager);
        vm.clear();
        scan(fx.wang.cardCode());
        assertThat(vm.memberPanel().purchases().get(0).reversalText()).isEqualTo("Refunded");
    }

    @Test
    void aSaleIsOneCheckoutThatEarnsPointsAndShowsTheReceipt() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("58.50");
        vm.checkout().recordSale();

        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.SUCCESS);
        assertThat(vm.checkout().receiptProperty().get()).isEqualTo("Receipt S001-T1-000003: ¥58.50, to pay ¥58.50; 58 points earned.");
        assertThat(vm.memberPanel().pointsProperty().get()).isEqualTo("258");
        assertThat(vm.checkout().saleAmountProperty().get()).isEmpty();
        assertThat(vm.memberPanel().purchases()).hasSize(3);
        // the win-back coupon stays usable, but the absence it was for is over
        assertThat(vm.memberPanel().suggestions()).extracting(r -> r.suggestion().reason())
                .containsExactly(ReasonCode.BIRTHDAY, ReasonCode.WALLET);
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
        assertThat(fx.events("sale.recorded")).as("the fixture's history only").isEqualTo(2);
        assertThat(fx.count("SELECT COUNT(*) FROM checkout WHERE staff_id = ?", CounterFixture.MANAGER)).isEqualTo(1);
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("Offline · 9 pending");
    }

    @Test
    void theReceiptComesWithTheCheckoutsResultAndThePanelIsReadAgainOnlyAfterTheNextFrame() {
        open(Locale.ENGLISH);
        List<Runnable> nextFrame = new ArrayList<>();
        vm.afterNextFrame(nextFrame::add);
        List<String> shown = new ArrayList<>();
        vm.checkout().onCheckout(new CheckoutViewModel.Receipting<String>() {
            @Override
            public String keep(org.jdbi.v3.core.Handle h, CheckoutReceipt checkout, dev.counterpoint.loyalty.RuleSet rules) {
                // in the checkout's transaction: its rows are there, uncommitted, to this handle only
                return checkout.receiptNo() + " kept with " + h.createQuery("SELECT COUNT(*) FROM checkout WHERE receipt_no = :r")
                        .bind("r", checkout.receiptNo()).mapTo(Integer.class).one() + " row";
            }

            @Override
            public String prepare(String kept) {
                return kept + ", ready";
            }

            @Override
            public void show(CheckoutReceipt checkout, String prepared) {
                shown.add(prepared + "; panel shows " + vm.memberPanel().pointsProperty().get() + " points");
            }
        });
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("58.50");
        vm.checkout().recordSale();

        assertThat(shown).containsExactly("S001-T1-000003 kept with 1 row, ready; panel shows 200 points");
        assertThat(vm.checkout().receiptProperty().get()).startsWith("Receipt S001-T1-000003:");
        assertThat(vm.memberPanel().pointsProperty().get()).as("not read again yet").isEqualTo("200");
        assertThat(nextFrame).hasSize(1);
        nextFrame.get(0).run();
        assertThat(vm.memberPanel().pointsProperty().get()).isEqualTo("258");
        assertThat(vm.memberPanel().purchases()).hasSize(3);
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("Offline · 9 pending");
    }

    @Test
    void aCheckoutIsShownBeforeItsEnterReturnsWhenQuickAndOnceFromTheUiQueueWhenSlow() throws Exception {
        fx = new CounterFixture(dir, Locale.ENGLISH, "");
        var ctx = fx.ctx;
        Deque<Runnable> ui = new ArrayDeque<>();
        java.util.concurrent.ExecutorService db = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(),
                    ctx.checkouts(), () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(),
                    Locale.ENGLISH, ctx.clock(), new BackgroundTasks(ui::add, db), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
            int[] results = new int[1];
            vm.afterEachResult(() -> results[0]++);
            Runnable drain = () -> {
                try {
                    do {
                        db.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
                        while (!ui.isEmpty()) {
                            ui.poll().run();
                        }
                    } while (vm.statusBar().busyProperty().get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            vm.start();
            vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
            scan(fx.wang.cardCode());
            drain.run();
            assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");

            // A slow one (the database thread busy): Enter holds the UI thread no longer than the bound.
            java.util.concurrent.CountDownLatch slow = new java.util.concurrent.CountDownLatch(1);
            db.execute(() -> {
                try {
                    slow.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            vm.checkout().saleAmountProperty().set("20");
            long start = System.nanoTime();
            vm.checkout().recordSale();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("the UI thread waits no longer than the bound")
                    .isLessThan(CheckoutViewModel.RESULT_WAIT.plusMillis(500));
            assertThat(vm.checkout().receiptProperty().get()).isEmpty();
            int before = results[0];
            slow.countDown();
            db.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ui).as("the late outcome goes through the UI executor, once").hasSize(1);
            ui.poll().run();
            assertThat(vm.checkout().receiptProperty().get()).startsWith("Receipt S001-T1-000003:");
            assertThat(results[0]).isEqualTo(before + 1);
            drain.run();

            // Quick ones: applied on the UI thread before recordSale returns (several, as a loaded machine may take one
            // past the wait).
            int inline = 0;
            for (int i = 0; i < 10 && inline == 0; i++) {
                vm.checkout().saleAmountProperty().set("10");
                vm.checkout().recordSale();
                if (vm.checkout().saleAmountProperty().get().isEmpty()) {
                    inline++;
                    assertThat(vm.checkout().receiptProperty().get()).startsWith("Receipt S001-T1-00000" + (4 + i) + ":");
                }
                drain.run();
            }
            assertThat(inline).as("a quick checkout is applied before its Enter returns").isPositive();
        } finally {
            db.shutdownNow();
        }
    }

    @Test
    void aSaleNeedsSomeoneSignedIn() {
        open(Locale.ENGLISH);
        vm.statusBar().signOut();
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("58.50");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).startsWith("Sign in first");
        assertThat(fx.events("checkout.completed")).isZero();

        vm.statusBar().signIn(CounterFixture.MANAGER, "000000");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Wrong PIN for lin: 4 tries left before the account is locked.");
        assertThat(vm.statusBar().signedInStaffId()).isNull();
        vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        assertThat(vm.statusBar().staffTextProperty().get()).isEqualTo("Signed in: 林店长 (lin)");
        vm.checkout().recordSale();
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
    }

    /** A counter left alone for a quarter of an hour signs its cashier out; anything done at it starts the time again. */
    @Test
    void anIdleCounterSignsItsCashierOut() {
        open(Locale.ENGLISH);
        assertThat(vm.statusBar().signedInStaffId()).isEqualTo(CounterFixture.MANAGER);
        fx.clock.advance(StatusBarViewModel.IDLE_SIGN_OUT.minusMinutes(1));
        assertThat(vm.statusBar().signOutIfIdle()).isFalse();
        scan(fx.wang.cardCode()); // at the counter: the quarter of an hour starts again
        fx.clock.advance(StatusBarViewModel.IDLE_SIGN_OUT.minusMinutes(1));
        assertThat(vm.statusBar().signOutIfIdle()).isFalse();
        assertThat(vm.statusBar().signedInStaffId()).isEqualTo(CounterFixture.MANAGER);

        fx.clock.advance(java.time.Duration.ofMinutes(1));
        vm.checkout().saleAmountProperty().set("58.50");
        vm.checkout().recordSale();
        assertThat(vm.statusBar().signedInStaffId()).isNull();
        assertThat(vm.statusBar().staffTextProperty().get()).isEqualTo("Nobody signed in");
        assertThat(vm.messages().messageProperty().get()).startsWith("Sign in first");
        assertThat(fx.events("checkout.completed")).isZero();
    }

    @Test
    void saleLinesFillTheAmountAndAreRecorded() {
        open(Locale.ENGLISH);
        scan(fx.li.cardCode());
        vm.checkout().lineSkuProperty().set("BEAN-YIRG");
        vm.checkout().lineCategoryProperty().set("咖啡豆");
        vm.checkout().lineQtyProperty().set("2");
        vm.checkout().lineAmountProperty().set("176");
        vm.checkout().addLine();
        vm.checkout().lineAmountProperty().set("12.5");
        vm.checkout().addLine();

        assertThat(vm.checkout().lines()).extracting(CheckoutViewModel.LineRow::text)
                .containsExactly("BEAN-YIRG · 咖啡豆 ×2   ¥176.00", "Sale ×1   ¥12.50");
        assertThat(vm.checkout().saleAmountProperty().get()).isEqualTo("188.50");

        vm.checkout().recordSale();
        assertThat(vm.checkout().receiptProperty().get()).endsWith("to pay ¥188.50; 188 points earned.");
        assertThat(vm.checkout().lines()).isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id "
                + "WHERE p.member_id = ?", fx.li.id())).isEqualTo(2);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.checkout().saleAmountProperty().set("12,3.4.5");
        vm.checkout().recordSale();

        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("\u201c12,3.4.5\u201d is not an amount: write yuan with at most two decimals, e.g. 12.50.");
        vm.checkout().saleAmountProperty().set("");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Enter the sale amount.");
        vm.payments().pointsToRedeemProperty().set("lots");
        vm.payments().redeemPoints();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("\u201clots\u201d is not a number of points: enter a whole number.");
        vm.checkout().saleAmountProperty().set("10");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("\u201clots\u201d is not a number of points: enter a whole number.");
        assertThat(fx.events("checkout.completed")).isZero();
    }

    @Test
    void theTopCouponIsTakenOffTheSaleItIsChosenFor() {
        open(Locale.ENGLISH);
        scan(fx.li.cardCode());
        vm.checkout().redeemTop();

        assertThat(vm.messages().messageProperty().get())
                .matches("Welcome ¥10 off · CP[A-Z2-9]{10} is used for this sale\\. Enter the amount and complete it with F2\\.");
        assertThat(fx.events("coupon.redeemed")).as("nothing is written before the sale").isZero();

        vm.checkout().saleAmountProperty().set("80");
        vm.checkout().recordSale();
        assertThat(vm.checkout().receiptProperty().get()).isEqualTo("Receipt S001-T1-000003: ¥80.00, coupon -¥10.00, to pay ¥70.00; 70 points earned.");
        assertThat(vm.memberPanel().suggestions()).isEmpty();
        assertThat(vm.checkout().chosenCouponProperty().get()).isNull();
        assertThat(fx.count("SELECT COUNT(*) FROM coupon_redemption WHERE member_id = ? AND discount_fen = 1000",
                fx.li.id())).isEqualTo(1);
        assertThat(fx.count("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", fx.li.id()))
                .as("earned on what was left to pay, not on the basket").isEqualTo(70);
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
        assertThat(fx.events("coupon.redeemed")).isZero();

        vm.checkout().redeemTop();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("There is no coupon to suggest for this member.");
    }

    @Test
    void aMinimumSpendCouponTakesTheBasketFromTheSaleAmount() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        int wanted = vm.checkout().amountWantedProperty().get();
        vm.checkout().redeemTop();
        assertThat(vm.messages().messageProperty().get())
                .isEqualTo("Enter the purchase amount first (this coupon needs a spend of at least ¥50.00).");
        assertThat(vm.checkout().amountWantedProperty().get()).as("the amount asked for").isEqualTo(wanted + 1);

        vm.checkout().saleAmountProperty().set("30");
        vm.checkout().redeemTop();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("This coupon needs a spend of at least ¥50.00; the purchase is ¥30.00.");
        assertThat(vm.checkout().chosenCouponProperty().get()).isNull();

        vm.checkout().saleAmountProperty().set("60");
        vm.checkout().redeem(vm.memberPanel().suggestions().get(0));
        assertThat(vm.messages().messageProperty().get())
                .matches("Birthday ¥20 off ¥50 · CP[A-Z2-9]{10} is used for this sale: ¥20.00 off. Complete it with F2.");
        // the amount goes down below the minimum spend before the sale is completed: the checkout refuses it
        vm.checkout().saleAmountProperty().set("40");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("This coupon needs a spend of at least ¥50.00; the purchase is ¥40.00.");
        assertThat(fx.events("checkout.completed")).isZero();

        vm.checkout().saleAmountProperty().set("60");
        vm.checkout().recordSale();
        assertThat(vm.checkout().receiptProperty().get()).contains("¥60.00, coupon -¥20.00", "to pay ¥40.00; 40 points earned.");
        assertThat(vm.memberPanel().suggestions()).extracting(r -> r.suggestion().reason()).containsExactly(ReasonCode.WALLET);
        assertThat(fx.count("SELECT COUNT(*) FROM coupon_redemption WHERE member_id = ? AND basket_fen = 6000",
                fx.wang.id())).isEqualTo(1);
    }

    @Test
    void pointsTypedInAreSpentOnTheSaleAndRefusedBeyondTheBalance() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.payments().pointsToRedeemProperty().set("150");
        vm.payments().redeemPoints();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("150 points will be taken off this sale: complete it with F2.");
        vm.checkout().saleAmountProperty().set("20");
        vm.checkout().recordSale();

        assertThat(vm.checkout().receiptProperty().get()).contains("points -¥1.50", "to pay ¥18.50; 18 points earned.");
        assertThat(vm.memberPanel().pointsProperty().get()).isEqualTo("68");
        assertThat(vm.payments().pointsToRedeemProperty().get()).isEmpty();

        vm.payments().pointsToRedeemProperty().set("69");
        vm.checkout().saleAmountProperty().set("20");
        vm.checkout().recordSale();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Not enough points: 69 asked, balance 68.");
        assertThat(vm.payments().pointsToRedeemProperty().get()).as("kept for correction").isEqualTo("69");
        assertThat(fx.count("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", fx.wang.id()))
                .isEqualTo(68);
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
        assertThat(fx.events("points.redeemed")).isZero();
    }

    @Test
    void storedValueTypedInPaysTheSaleAndIsRefusedBeyondTheBalance() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        vm.payments().storedValueToPayProperty().set("30");
        vm.payments().payWithStoredValue();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("¥30.00 of stored value will pay this sale: complete it with F2.");
        vm.checkout().saleAmountProperty().set("30");
        vm.checkout().recordSale();

        assertThat(vm.checkout().receiptProperty().get()).contains(": ¥30.00, stored value -¥30.00, to pay ¥0.00; 30 points earned.")
                .doesNotContain("coupon", "points -");
        assertThat(vm.memberPanel().storedValueProperty().get()).isEqualTo("¥70.00");

        vm.payments().storedValueToPayProperty().set("70.01");
        vm.checkout().saleAmountProperty().set("80");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Not enough stored value: ¥70.01 asked, balance ¥70.00.");
        assertThat(vm.memberPanel().storedValueProperty().get()).isEqualTo("¥70.00");
        assertThat(fx.count("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", fx.wang.id()))
                .isEqualTo(7000);
        assertThat(fx.events("stored_value.paid")).isZero();
    }

    @Test
    void listsAreTheSameObjectsOnEveryCallSoViewListenersStay() {
        open(Locale.ENGLISH);

        assertThat(vm.memberPanel().tags()).isSameAs(vm.memberPanel().tags());
        assertThat(vm.memberPanel().suggestions()).isSameAs(vm.memberPanel().suggestions());
        assertThat(vm.memberPanel().favourites()).isSameAs(vm.memberPanel().favourites());
    }

    @Test
    void actionsNeedAMember() {
        open(Locale.ENGLISH);
        vm.checkout().saleAmountProperty().set("10");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Scan or search a member first.");
        vm.checkout().redeemTop();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Scan or search a member first.");
    }

    @Test
    void searchByLastFourDigitsListsSeveralAndAPickShowsOne() {
        open(Locale.ENGLISH);
        fx.ctx.memberService().enrol("王小明", "13600005678", null);
        vm.lookup().searchQueryProperty().set("5678");
        vm.lookup().search();

        assertThat(vm.lookup().searchResultsShownProperty().get()).isTrue();
        assertThat(vm.lookup().searchResults()).extracting(MemberLookupViewModel.MemberRow::name).containsExactlyInAnyOrder("王芳", "王小明");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("2 members match: pick one.");

        vm.lookup().pick(vm.lookup().searchResults().stream().filter(r -> r.name().equals("王芳")).findFirst().orElseThrow());
        assertThat(vm.lookup().searchResultsShownProperty().get()).isFalse();
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(vm.lookup().searchQueryProperty().get()).isEmpty();
    }

    @Test
    void searchWithOneMatchShowsTheMemberAndWithNoneOffersEnrolment() {
        open(Locale.ENGLISH);
        vm.lookup().searchQueryProperty().set("138 0013 5678");
        vm.lookup().search();
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");

        vm.lookup().searchQueryProperty().set("13711112222");
        vm.lookup().search();
        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.lookup().enrolPhoneProperty().get()).isEqualTo("13711112222");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("No member matches \u201c13711112222\u201d. Enrol them below?");
    }

    @Test
    void thePanelShowsTierProgressAndATopUpEarnsItsBonusOnTheReceiptLine() {
        open(Locale.ENGLISH);
        scan(fx.wang.cardCode());
        assertThat(vm.memberPanel().tierProgressProperty().get()).isEqualTo("¥800.00 more spend to Silver");
        assertThat(vm.memberPanel().pointsExpiringProperty().get()).as("nothing expires within 30 days").isEmpty();

        vm.payments().storedValueToTopUpProperty().set("500");
        vm.payments().topUp();

        assertThat(vm.messages().messageProperty().get()).isEqualTo("Topped up ¥500.00 + bonus ¥50.00; stored value now ¥650.00.");
        assertThat(vm.checkout().receiptProperty().get()).isEqualTo(vm.messages().messageProperty().get());
        assertThat(vm.memberPanel().storedValueProperty().get()).isEqualTo("¥650.00");
        assertThat(vm.payments().storedValueToTopUpProperty().get()).isEmpty();
        assertThat(fx.events("stored_value.topped_up")).isEqualTo(1);

        vm.payments().storedValueToTopUpProperty().set("abc");
        vm.payments().topUp();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(fx.events("stored_value.topped_up")).isEqualTo(1);

        // A sale paid from it after: its receipt line replaces the top-up's.
        vm.payments().storedValueToPayProperty().set("30");
        vm.checkout().saleAmountProperty().set("30");
        vm.checkout().recordSale();
        assertThat(vm.memberPanel().storedValueProperty().get()).isEqualTo("¥620.00");
        assertThat(vm.checkout().receiptProperty().get()).startsWith("Receipt ");
    }

    @Test
    void chineseTextComesFromTheChineseBundle() {
        open(Locale.SIMPLIFIED_CHINESE);
        scan("2999999999991");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("未找到会员：2999999999991");
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("离线 · 6 待同步");

        scan(fx.wang.cardCode());
        assertThat(vm.memberPanel().tierTextProperty().get()).isEqualTo("普通");
        assertThat(vm.memberPanel().suggestions().get(0).title()).startsWith("生日礼 满¥50减¥20 · CP");
        assertThat(vm.memberPanel().suggestions().get(0).reason()).isEqualTo("生日还有 3 天（2026-03-13）");
        assertThat(vm.memberPanel().suggestions().get(1).reason()).isEqualTo("40 天未到店");

        vm.payments().storedValueToPayProperty().set("500");
        vm.checkout().saleAmountProperty().set("500");
        vm.checkout().recordSale();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("储值余额不足：需 ¥500.00，余额 ¥100.00。");

        vm.payments().storedValueToPayProperty().set("20");
        vm.payments().payWithStoredValue();
        vm.checkout().saleAmountProperty().set("50");
        vm.checkout().recordSale();
        assertThat(vm.checkout().receiptProperty().get()).matches("小票 \\S+：¥50\\.00，储值 -¥20\\.00，应付 ¥30\\.00；获得 \\d+ 积分。");
    }
}
