package dev.counterpoint.checkout;

import dev.counterpoint.shared.BackgroundTasks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.MemberCard;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.scan.MemberQrKeys;
import dev.counterpoint.scan.MemberQrSigner;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.scan.SerialScanSource;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan path of the counter: validation before lookup, member QR tokens, the queue, the QR card request. */
class CounterScanningTest {
    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterViewModel vm;
    /** Background work waits here until the test runs it, so a lookup can be "in flight". */
    private final Deque<Runnable> background = new ArrayDeque<>();
    private MemberQrSigner phone;

    private void open(Locale locale, Executor bg) {
        open(locale, Runnable::run, bg);
    }

    private void open(Locale locale, Executor ui, Executor bg) {
        fx = new CounterFixture(dir, locale, "");
        var ctx = fx.ctx;
        // Head office's key: it signs, and this terminal holds its public key as the change feed brought it.
        java.security.KeyPair headOffice;
        try {
            headOffice = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ctx.database().jdbi().useHandle(h -> new MemberQrKeys().insert(h,
                java.util.Base64.getEncoder().encodeToString(headOffice.getPublic().getEncoded()), fx.clock.instant()
                        .atOffset(java.time.ZoneOffset.UTC)));
        phone = new MemberQrSigner(headOffice.getPrivate(), fx.clock);
        vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), locale, ctx.clock(),
                new BackgroundTasks(ui, bg), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
    }

    private void openSameThread(Locale locale) {
        open(locale, Runnable::run);
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private void scan(String code) {
        vm.onScan(new ScanEvent(code, ScanEvent.Source.SERIAL, fx.clock.instant()));
    }

    @Test
    void aMisreadCheckDigitIsExplainedKeepsTheMemberAndOffersNoEnrolment() {
        open(Locale.SIMPLIFIED_CHINESE, background::add);
        scan(fx.wang.cardCode());
        background.poll().run();
        String bad = fx.wang.cardCode().substring(0, 12) + ((fx.wang.cardCode().charAt(12) - '0' + 1) % 10);
        scan(bad);

        assertThat(background).as("one exact card lookup: a legacy card may carry these digits").hasSize(1);
        background.poll().run();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("条码校验位错误（" + bad + "），请重新扫描或手动输入");
        assertThat(vm.memberPanel().nameProperty().get()).as("the member on screen stays").isEqualTo("王芳");
        assertThat(vm.lookup().enrolShownProperty().get()).as("a misread does not offer enrolment").isFalse();
    }

    @Test
    void aQuickLookupIsShownBeforeTheScanReturnsSoItMakesTheNextFrame() throws Exception {
        Deque<Runnable> ui = new ArrayDeque<>();
        ExecutorService db = Executors.newSingleThreadExecutor();
        try {
            open(Locale.ENGLISH, ui::add, db);
            int[] results = new int[1];
            vm.afterEachResult(() -> results[0]++);
            int inline = 0;
            // Several scans, as a loaded machine (or the JIT's first pass) may take one lookup past the wait.
            for (int i = 0; i < 6; i++) {
                var member = i % 2 == 0 ? fx.wang : fx.li;
                scan(member.cardCode());
                db.submit(() -> { }).get(10, TimeUnit.SECONDS); // a lookup the scan stopped waiting for has queued
                if (ui.isEmpty()) {
                    inline++;
                    assertThat(vm.memberPanel().nameProperty().get()).as("applied on the scanning (UI) thread").isEqualTo(member.displayName());
                    assertThat(vm.statusBar().busyProperty().get()).isFalse();
                } else {
                    ui.poll().run();
                    assertThat(vm.memberPanel().nameProperty().get()).isEqualTo(member.displayName());
                }
                assertThat(ui).isEmpty();
            }

            assertThat(inline).as("quick lookups are applied before the scan returns").isPositive();
            assertThat(results[0]).as("each result applied once").isEqualTo(6);
        } finally {
            db.shutdownNow();
        }
    }

    @Test
    void aSlowLookupHoldsTheScanOnlyBrieflyAndIsShownOnceFromTheUiQueue() throws Exception {
        Deque<Runnable> ui = new ArrayDeque<>();
        CountDownLatch slow = new CountDownLatch(1);
        ExecutorService db = Executors.newSingleThreadExecutor();
        try {
            db.execute(() -> {
                try {
                    slow.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            open(Locale.ENGLISH, ui::add, db);
            int[] results = new int[1];
            vm.afterEachResult(() -> results[0]++);

            long start = System.nanoTime();
            scan(fx.wang.cardCode());
            long held = System.nanoTime() - start;

            assertThat(Duration.ofNanos(held)).as("the UI thread waits no longer than the bound")
                    .isLessThan(MemberLookupViewModel.SCAN_RESULT_WAIT.plusMillis(500));
            assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
            assertThat(vm.statusBar().busyProperty().get()).isTrue();
            slow.countDown();
            db.shutdown();
            assertThat(db.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ui).as("the late result goes through the UI executor, once").hasSize(1);
            ui.poll().run();
            assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
            assertThat(results[0]).isEqualTo(1);
            assertThat(vm.statusBar().busyProperty().get()).isFalse();
        } finally {
            db.shutdownNow();
        }
    }

    @Test
    void aLegacyCardWhoseNumberBreaksTheBarcodeRulesStillScans() {
        String legacy = "2911111111116"; // 13 digits, check digit should be 1: an old system's card number
        String tenDigits = "8800123456"; // no barcode has ten digits: read as a half code unless it is a card
        openSameThread(Locale.ENGLISH);
        fx.ctx.database().jdbi().useTransaction(h -> {
            for (String[] m : new String[][] {{legacy, "周杰"}, {tenDigits, "吴磊"}}) {
                fx.ctx.memberRepository().insert(h, new dev.counterpoint.member.NewMember(dev.counterpoint.store.Ids.next(),
                        m[0], m[1], null, null, dev.counterpoint.protocol.Tier.NORMAL, "S001",
                        java.time.OffsetDateTime.now(fx.clock), EnrolmentSource.IMPORT),
                        fx.ctx.hlc().now());
            }
        });

        scan(legacy);
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("周杰");
        scan(tenDigits);
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("吴磊");
        scan("8800123457");
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("吴磊");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Incomplete code (8800123457): scan again");
    }

    @Test
    void noiseIsRefusedWithoutLookupAndAHalfCodeIsExplained() {
        open(Locale.ENGLISH, background::add);
        scan("\u0000\u00ff\u00fe\u0007");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("The scan contains control characters or unreadable bytes: scan again");
        assertThat(background).as("noise never reaches the database").isEmpty();
        scan("123");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Incomplete code (123): scan again");
        assertThat(background).isEmpty();
        scan(fx.wang.cardCode().substring(0, 7));
        background.poll().run();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Incomplete code (" + fx.wang.cardCode().substring(0, 7) + "): scan again");
        assertThat(vm.lookup().enrolShownProperty().get()).isFalse();
    }

    @Test
    void aFreshMemberQrShowsTheMemberAndAReplayedScreenshotIsRefused() {
        openSameThread(Locale.SIMPLIFIED_CHINESE);
        String token = phone.tokenFor(fx.wang.cardCode());
        scan(token);
        assertThat(vm.memberPanel().memberShownProperty().get()).isTrue();
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(vm.lookup().lastScanProperty().get()).isEqualTo(fx.wang.cardCode());

        vm.clear();
        fx.clock.advance(Duration.ofMinutes(3));
        scan(token);
        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("二维码已过期，请刷新");
    }

    @Test
    void aForgedMemberQrIsRefused() {
        openSameThread(Locale.ENGLISH);
        String token = phone.tokenFor(fx.li.cardCode());
        String forged = token.replace(fx.li.cardCode(), fx.wang.cardCode());
        scan(forged);
        assertThat(vm.memberPanel().memberShownProperty().get()).isFalse();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Member QR code is not genuine: ask for the member card");
    }

    @Test
    void scansArrivingDuringALookupWaitAndAreHandledInOrder() {
        open(Locale.ENGLISH, background::add);
        scan(fx.wang.cardCode());
        scan("4006381333932");          // bad check digit, waits its turn like any read
        scan(fx.li.cardCode());
        assertThat(background).as("one lookup at a time").hasSize(1);

        background.poll().run();
        // Wang shown; the doubtful read is looked up as an exact card number next
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(background).hasSize(1);
        background.poll().run();
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Check digit is wrong (4006381333932): scan again or type the code");
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("王芳");
        assertThat(background).as("Li's lookup is now the one in flight").hasSize(1);

        background.poll().run();
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("李雷");
        assertThat(background).isEmpty();
    }

    @Test
    void theQueueIsBoundedAndSaysSoWhenFull() {
        open(Locale.ENGLISH, background::add);
        scan(fx.wang.cardCode());
        for (int i = 0; i < MemberLookupViewModel.SCAN_QUEUE_CAPACITY; i++) {
            scan(fx.li.cardCode());
        }
        assertThat(vm.messages().kindProperty().get()).isNotEqualTo(CounterMessages.Kind.ERROR);
        scan(fx.wang.cardCode());
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Too many scans waiting: this one was dropped, scan it again");

        int lookups = 0;
        while (!background.isEmpty()) {
            background.poll().run();
            lookups++;
        }
        assertThat(lookups).isEqualTo(1 + MemberLookupViewModel.SCAN_QUEUE_CAPACITY);
        assertThat(vm.memberPanel().nameProperty().get()).isEqualTo("李雷");
    }

    @Test
    void aLookupThatFailsStillLetsTheNextScanThrough() {
        open(Locale.ENGLISH, background::add);
        scan(fx.wang.cardCode());
        scan(fx.li.cardCode());
        fx.ctx.database().close(); // the lookup in flight fails
        background.poll().run();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(background).as("the waiting scan was taken up").hasSize(1);
    }

    @Test
    void enrolmentWithANewNumberThenOnDemandAskForTheQrCard() {
        openSameThread(Locale.ENGLISH);
        scan("6901234567892"); // no card of this store: the member gets a new number, and its card to print
        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrol();
        MemberCard card = vm.memberPanel().cardRequestProperty().get();
        assertThat(card.name()).isEqualTo("张伟");
        assertThat(card.cardCode()).isEqualTo(vm.memberPanel().cardCodeProperty().get());

        scan(fx.wang.cardCode());
        vm.memberPanel().showCard();
        assertThat(vm.memberPanel().cardRequestProperty().get()).isEqualTo(new MemberCard("王芳", fx.wang.cardCode()));
    }

    /** A member QR names a card someone holds (head office minted it), even when this store does not know them yet. */
    @Test
    void aMemberQrOfAnUnknownCardIsNeverTakenAsTheCardInHand() {
        openSameThread(Locale.ENGLISH);
        String card = dev.counterpoint.member.CardCodes.withCheckDigit("299999999999");
        scan(phone.tokenFor(card));

        assertThat(vm.messages().messageProperty().get()).isEqualTo("No member with code " + card);
        assertThat(vm.lookup().enrolShownProperty().get()).isTrue();
        assertThat(vm.lookup().enrolCard()).isNull();
        vm.lookup().enrolNameProperty().set("张伟");
        vm.lookup().enrolPhoneProperty().set("13700002222");
        vm.lookup().enrolPrivacyNoticeProperty().set(true);
        vm.lookup().enrol();
        assertThat(vm.memberPanel().cardCodeProperty().get()).matches("29\\d{11}").isNotEqualTo(card);
    }

    @Test
    void theStatusBarShowsTheSerialScannerState() {
        openSameThread(Locale.SIMPLIFIED_CHINESE);
        assertThat(vm.statusBar().scannerTextProperty().get()).isEqualTo("串口扫描枪：未启用");
        vm.statusBar().showScannerStatus(new SerialScanSource.Status(SerialScanSource.State.WAITING,
                new UserMessage("scanner.serial.unplugged", "/dev/ttyUSB0")));
        assertThat(vm.statusBar().scannerTextProperty().get()).isEqualTo("扫描枪 /dev/ttyUSB0 已拔出，等待重新连接");
        assertThat(vm.statusBar().scannerProblemProperty().get()).isTrue();
        vm.statusBar().showScannerStatus(new SerialScanSource.Status(SerialScanSource.State.CONNECTED,
                new UserMessage("scanner.serial.connected", "/dev/ttyUSB0")));
        assertThat(vm.statusBar().scannerProblemProperty().get()).isFalse();
    }
}
