package dev.counterpoint.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.checkout.Checkouts;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview's and the printer settings' view models, without the toolkit (work runs at once, in order). */
class ReceiptViewModelsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @TempDir
    Path dir;
    TerminalWiring ctx;
    Member member;
    Staff cashier;
    final List<byte[]> sent = new ArrayList<>();
    boolean unplugged;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        cashier = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    private ReceiptDesk desk(PrinterSettings settings) {
        return new ReceiptDesk(ctx.receiptDesk().receipts(), Locale.ENGLISH, "Jing'an", settings,
                s -> s.kind() == PrinterSettings.Kind.NONE ? Optional.empty() : Optional.of(bytes -> {
                    if (unplugged) {
                        throw new ReceiptPrinter.PrintFailure(new UserMessage("receipt.printer.cannotOpen", s.port()), null);
                    }
                    sent.add(bytes);
                }));
    }

    private CheckoutReceipt checkout(long fen) {
        return ctx.checkouts().complete(new CheckoutRequest(member.id(), fen, List.of(), CheckoutRequest.CouponChoice.NONE,
                0, 0), cashier);
    }

    @Test
    void aCheckoutShowsItsReceiptRowByRowAndSaysItPrinted() {
        ReceiptPreviewViewModel vm = new ReceiptPreviewViewModel(
                desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 9600, "", 42, true)),
                Locale.ENGLISH, dev.counterpoint.shared.BackgroundTasks.onCallingThread());
        CheckoutReceipt r = checkout(8_800);
        vm.checkedOut(r);

        assertThat(vm.shownProperty().get()).isEqualTo(1);
        assertThat(vm.titleProperty().get()).isEqualTo("Receipt " + r.receiptNo());
        assertThat(vm.widthProperty().get()).isEqualTo(42);
        assertThat(vm.rows().get(0).large()).isTrue();
        assertThat(vm.rows()).anyMatch(row -> row.text().startsWith("To pay") && row.text().endsWith("¥88.00") && row.bold());
        assertThat(vm.rows()).allMatch(row -> Glyphs.width(row.text()) <= (row.large() ? 21 : 42));
        assertThat(vm.statusProperty().get()).isEqualTo("Receipt " + r.receiptNo() + " printed (/dev/ttyUSB0).");
        assertThat(vm.statusIsErrorProperty().get()).isFalse();
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(sent).hasSize(1);
    }

    @Test
    void aVoidsPreviewIsTitledAsAVoidAndARefundsAsARefund() {
        ReceiptPreviewViewModel vm = new ReceiptPreviewViewModel(desk(PrinterSettings.defaults()), Locale.ENGLISH,
                dev.counterpoint.shared.BackgroundTasks.onCallingThread());
        CheckoutReceipt voided = checkout(8_800);
        var v = ctx.refunds().voidCheckout(voided.receiptNo(), cashier, cashier);
        vm.refunded(v);
        assertThat(vm.titleProperty().get()).isEqualTo("Void " + v.refundNo());
        CheckoutReceipt refunded = checkout(4_400);
        var r = ctx.refunds().refund(refunded.receiptNo(), List.of(1), cashier, cashier);
        vm.refunded(r);
        assertThat(vm.titleProperty().get()).isEqualTo("Refund " + r.refundNo());
    }

    @Test
    void aReceiptKeptByItsCheckoutIsShownWithItsResultWhenNothingPrintsItFirst() {
        List<Runnable> receiptThread = new ArrayList<>();
        ReceiptPreviewViewModel vm = new ReceiptPreviewViewModel(desk(PrinterSettings.defaults()), Locale.ENGLISH,
                new dev.counterpoint.shared.BackgroundTasks(Runnable::run, receiptThread::add));
        Checkouts.Completed<ReceiptPreviewViewModel.Kept> done = ctx.checkouts().complete(new CheckoutRequest(member.id(),
                8_800L, List.of(), CheckoutRequest.CouponChoice.NONE, 0, 0), cashier, vm::keep);
        ReceiptPreviewViewModel.Kept ready = vm.prepare(done.also());
        vm.show(done.receipt(), ready);

        assertThat(receiptThread).as("nothing left for the receipts' thread").isEmpty();
        assertThat(vm.shownProperty().get()).isEqualTo(1);
        assertThat(vm.titleProperty().get()).isEqualTo("Receipt " + done.receipt().receiptNo());
        assertThat(vm.statusProperty().get()).endsWith("no receipt printer is set up, so it is shown only.");
        assertThat(vm.rows()).extracting(ReceiptPreviewViewModel.PreviewRow::text).containsExactlyElementsOf(
                ctx.receiptDesk().show(ctx.receiptDesk().receipts().find(done.receipt().receiptNo()).orElseThrow(),
                        ReceiptDesk.Status.NO_PRINTER).rows().stream().map(ReceiptLayout.Row::text).toList());
    }

    @Test
    void aReceiptKeptByItsCheckoutIsPrintedOnTheReceiptsThreadAndShownOnceThePrinterTookIt() {
        List<Runnable> receiptThread = new ArrayList<>();
        ReceiptPreviewViewModel vm = new ReceiptPreviewViewModel(
                desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 9600, "", 32, true)), Locale.ENGLISH,
                new dev.counterpoint.shared.BackgroundTasks(Runnable::run, receiptThread::add));
        Checkouts.Completed<ReceiptPreviewViewModel.Kept> done = ctx.checkouts().complete(new CheckoutRequest(member.id(),
                8_800L, List.of(), CheckoutRequest.CouponChoice.NONE, 0, 0), cashier, vm::keep);
        vm.show(done.receipt(), vm.prepare(done.also()));

        assertThat(vm.shownProperty().get()).isZero();
        assertThat(sent).isEmpty();
        assertThat(receiptThread).hasSize(1);
        receiptThread.get(0).run();
        assertThat(sent).hasSize(1);
        assertThat(vm.shownProperty().get()).isEqualTo(1);
        assertThat(vm.statusProperty().get()).isEqualTo("Receipt " + done.receipt().receiptNo() + " printed (/dev/ttyUSB0).");
    }

    @Test
    void anUnpluggedPrinterIsReportedAndF4PrintsTheLastReceiptOnceItIsBack() {
        ReceiptPreviewViewModel vm = new ReceiptPreviewViewModel(
                desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 9600, "", 32, true)),
                Locale.ENGLISH, dev.counterpoint.shared.BackgroundTasks.onCallingThread());
        unplugged = true;
        CheckoutReceipt r = checkout(1_000);
        vm.checkedOut(r);
        assertThat(vm.statusIsErrorProperty().get()).isTrue();
        assertThat(vm.statusProperty().get()).contains("could not be printed", "The sale is saved");
        assertThat(vm.rows()).isNotEmpty();

        unplugged = false;
        vm.reprintLast();
        assertThat(vm.shownProperty().get()).isEqualTo(2);
        assertThat(vm.statusIsErrorProperty().get()).isFalse();
        assertThat(vm.statusProperty().get()).isEqualTo("Receipt " + r.receiptNo() + " printed (/dev/ttyUSB0).");
        vm.printAgain();
        assertThat(vm.statusProperty().get()).contains("printed again", "reprint");
        assertThat(vm.rows()).anyMatch(row -> row.text().contains("*** REPRINT ***"));
        assertThat(sent).hasSize(2);
    }

    @Test
    void withAutomaticPrintingOffTheReceiptIsShownOnlyAndReprintWithNothingMadeSaysSo() {
        ReceiptPreviewViewModel vm = new ReceiptPreviewViewModel(
                desk(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 9600, "", 32, false)),
                Locale.ENGLISH, dev.counterpoint.shared.BackgroundTasks.onCallingThread());
        vm.reprintLast();
        assertThat(vm.statusProperty().get()).isEqualTo("This terminal has made no receipt yet.");
        assertThat(vm.shownProperty().get()).isZero();
        vm.checkedOut(checkout(500));
        assertThat(vm.statusProperty().get()).contains("not printed by itself");
        assertThat(sent).isEmpty();
    }

    @Test
    void printerSettingsAreCheckedSavedAndTestPrinted() throws Exception {
        List<PrinterSettings> saved = new ArrayList<>();
        List<PrinterSettings> tested = new ArrayList<>();
        PrinterSettingsViewModel vm = new PrinterSettingsViewModel(PrinterSettings.defaults(), dir,
                () -> List.of("/dev/ttyS0", "/dev/ttyUSB0"), () -> List.of("EPSON TM-T82"), s -> {
                    tested.add(s);
                    return new UserMessage("receipt.test.sent", s.where());
                }, Locale.ENGLISH, dev.counterpoint.shared.BackgroundTasks.onCallingThread(), saved::add);
        assertThat(vm.ports()).containsExactly("/dev/ttyS0", "/dev/ttyUSB0");
        assertThat(vm.printers()).containsExactly("EPSON TM-T82");

        vm.kindProperty().set(PrinterSettings.Kind.SERIAL);
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("Choose or type the serial port the printer is on.");
        vm.portProperty().set("/dev/ttyUSB0");
        vm.widthProperty().set("80");
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("The paper width must be 24 to 64 columns, not \"80\".");
        vm.widthProperty().set("48");
        vm.baudProperty().set("fast");
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageIsErrorProperty().get()).isTrue();
        vm.baudProperty().set("19200");
        vm.portProperty().set("/dev/tty\u001BUSB0");
        assertThat(vm.save()).isFalse();
        vm.portProperty().set("/dev/ttyUSB0");

        vm.testPrint();
        assertThat(tested).containsExactly(new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 19200, "", 48, true));
        assertThat(vm.messageProperty().get()).startsWith("A test page went to /dev/ttyUSB0");
        assertThat(saved).as("a test print saves nothing").isEmpty();

        vm.autoPrintProperty().set(false);
        assertThat(vm.save()).isTrue();
        PrinterSettings expected = new PrinterSettings(PrinterSettings.Kind.SERIAL, "/dev/ttyUSB0", 19200, "", 48, false);
        assertThat(saved).containsExactly(expected);
        assertThat(PrinterSettings.load(dir)).isEqualTo(expected);
    }

    @Test
    void aHandEditedSettingsFileWithABadValueNamesTheFileAndKey() throws Exception {
        Files.writeString(dir.resolve(PrinterSettings.FILE_NAME), "printer.kind=SERIAL\nserial.port=/dev/ttyUSB0\npaper.width=wide\n");
        assertThatThrownBy(() -> PrinterSettings.load(dir)).hasMessageContaining(PrinterSettings.FILE_NAME)
                .hasMessageContaining("paper.width");
        Files.writeString(dir.resolve(PrinterSettings.FILE_NAME), "printer.kind=LASER\n");
        assertThatThrownBy(() -> PrinterSettings.load(dir)).hasMessageContaining("printer.kind");
        Files.delete(dir.resolve(PrinterSettings.FILE_NAME));
        assertThat(PrinterSettings.load(dir)).isEqualTo(PrinterSettings.defaults());
    }
}
