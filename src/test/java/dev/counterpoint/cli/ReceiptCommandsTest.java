package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.receipt.PrinterSettings;
import dev.counterpoint.scan.Socat;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checkout --print, reprint, refund --print and close-day --print, on a receipt printer at the end of a socat pty pair. */
class ReceiptCommandsTest {
    static final Charset GB18030 = Charset.forName("GB18030");
    static final byte[] CUT = {0x1B, 'd', 4, 0x1D, 'V', 1};

    @TempDir
    Path dir;
    @TempDir
    Path ptys;
    Member member;
    Socat socat;
    InputStream far;
    final ExecutorService reader = Executors.newSingleThreadExecutor();

    @BeforeEach
    void store() throws Exception {
        try (TerminalWiring ctx = TerminalWiring.open(dir, java.util.Locale.ENGLISH, Clock.systemDefaultZone())) {
            member = ctx.memberService().enrol("王芳", "13800135678", null);
        }
        assertThat(run("246810\n", "staff", "add", "li", "--name", "李店长", "--role", "manager").exit()).isZero();
        socat = new Socat(ptys).plugIn();
        new PrinterSettings(PrinterSettings.Kind.SERIAL, socat.scannerSide.toString(), 9600, "", 32, true).save(dir);
        far = Files.newInputStream(socat.feederSide);
    }

    @AfterEach
    void tearDown() throws Exception {
        reader.shutdownNow();
        far.close();
        socat.close();
    }

    private LookupCommandTest.Run run(String input, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--data-dir";
        all[1] = dir.toString();
        all[2] = "--lang";
        all[3] = "zh";
        System.arraycopy(args, 0, all, 4, args.length);
        return runWithInput(input, all);
    }

    /** The bytes of the next receipt that reaches the printer's end. */
    private CompletableFuture<byte[]> nextReceipt() {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                while (got.size() < CUT.length || !Arrays.equals(got.toByteArray(), got.size() - CUT.length, got.size(),
                        CUT, 0, CUT.length)) {
                    int b = far.read();
                    if (b < 0) {
                        break;
                    }
                    got.write(b);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return got.toByteArray();
        }, reader);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(GB18030));
    }

    @Test
    void aCheckoutPrintsItsReceiptAndReprintMarksTheCopy() throws Exception {
        CompletableFuture<byte[]> first = nextReceipt();
        LookupCommandTest.Run sold = run("246810\n", "checkout", member.cardCode(), "--item", "LATTE,咖啡,2,36",
                "--staff", "li", "--print");
        assertThat(sold.exit()).as(sold.err()).isZero();
        assertThat(sold.out()).contains("小票 S001-T1-000001 已打印（" + socat.scannerSide + "）。");
        String bytes = HexFormat.of().formatHex(first.get(30, TimeUnit.SECONDS));
        assertThat(bytes).startsWith("1b40" + "1b7400" + "1c2e");
        assertThat(bytes).contains("1c26" + hex("合计"), hex("S001-T1-000001"), hex("LATTE") , "1c2e9d" + hex("36.00"));
        assertThat(bytes).contains(hex("本次积分"), hex("积分余额")).doesNotContain(hex("重印"));
        assertThat(bytes).endsWith("1b64041d5601");

        CompletableFuture<byte[]> copy = nextReceipt();
        LookupCommandTest.Run again = run("", "reprint");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("已重新打印");
        assertThat(HexFormat.of().formatHex(copy.get(30, TimeUnit.SECONDS))).contains(hex("重印"), hex("S001-T1-000001"));

        LookupCommandTest.Run text = run("", "reprint", "S001-T1-000001", "--text");
        assertThat(text.out()).contains("S001-T1-000001", "合计", "¥36.00", "*** 重印 ***");
        assertThat(run("", "reprint", "S001-T1-999999").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anUnpluggedPrinterLeavesTheCheckoutDoneAndTheRefundAndTheDayPrintOnceItIsBack() throws Exception {
        socat.unplug();
        LookupCommandTest.Run sold = run("246810\n", "checkout", member.cardCode(), "--amount", "50", "--staff", "li",
                "--print");
        assertThat(sold.exit()).as("the checkout is done whatever the printer does").isZero();
        assertThat(sold.err()).contains("小票 S001-T1-000001 未能打印", "无法打开串口", "销售已保存");
        assertThat(run("", "reprint").exit()).isEqualTo(ExitCodes.NOT_PRINTED);

        socat.plugIn();
        far.close();
        far = Files.newInputStream(socat.feederSide);
        CompletableFuture<byte[]> refund = nextReceipt();
        LookupCommandTest.Run back = run("246810\n246810\n", "refund", "S001-T1-000001", "--staff", "li", "--manager", "li",
                "--print");
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(HexFormat.of().formatHex(refund.get(30, TimeUnit.SECONDS))).contains(hex("退款单"), hex("原小票"),
                hex("S001-T1-000001"));

        CompletableFuture<byte[]> day = nextReceipt();
        LookupCommandTest.Run closed = run("246810\n", "close-day", "--manager", "li", "--print");
        assertThat(closed.out()).contains("已打印");
        assertThat(HexFormat.of().formatHex(day.get(30, TimeUnit.SECONDS))).contains(hex("日结报表"), hex("营业日"))
                .doesNotContain(hex("重印"));
        CompletableFuture<byte[]> dayAgain = nextReceipt();
        run("246810\n", "close-day", "--manager", "li", "--print");
        assertThat(HexFormat.of().formatHex(dayAgain.get(30, TimeUnit.SECONDS))).contains(hex("日结报表"), hex("重印"));
    }
}
