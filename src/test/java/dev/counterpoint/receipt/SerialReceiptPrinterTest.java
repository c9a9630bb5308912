package dev.counterpoint.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.scan.Socat;
import dev.counterpoint.shared.Messages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receipt printer on a real serial line: socat's pty pair, the printer's end opened by the app through jSerialComm,
 * the bytes read back from the other end. Waits are bounded; nothing is timed.
 */
class SerialReceiptPrinterTest {
    static final Charset GB18030 = Charset.forName("GB18030");
    static final byte[] CUT = {0x1B, 'd', 4, 0x1D, 'V', 1};
    /** Not a byte a receipt starts with (ESC @). */
    static final byte PROBE = 0x7E;

    @TempDir
    Path dir;
    private Socat socat;
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() throws InterruptedException {
        reader.shutdownNow();
        if (socat != null) {
            socat.close();
        }
    }

    /**
     * Opens the far end and waits until socat passes bytes through (a probe written at the printer's end is read back
     * here: socat makes its links a moment before it starts copying), then reads until a receipt's cut has arrived.
     */
    private CompletableFuture<byte[]> readUntilCut(Path far) throws Exception {
        InputStream in = Files.newInputStream(far);
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                while (in.read() != PROBE) {
                    // only probes arrive before the receipt
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, reader);
        for (int i = 0; i < 100 && !ready.isDone(); i++) {
            Files.write(socat.scannerSide, new byte[] {PROBE});
            try {
                ready.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // write another probe
            }
        }
        ready.get(1, TimeUnit.SECONDS);
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (in) {
                byte[] buf = new byte[512];
                while (!endsWith(got.toByteArray(), CUT)) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.write(buf, 0, n);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return drop(got.toByteArray());
        }, reader);
    }

    /** Probes that were still on their way when the handshake finished. */
    private static byte[] drop(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] == PROBE) {
            i++;
        }
        return Arrays.copyOfRange(bytes, i, bytes.length);
    }

    @Test
    void aChineseReceiptArrivesWholeInTheRightCodePagesAndIsCut() throws Exception {
        socat = new Socat(dir).plugIn();
        CompletableFuture<byte[]> arrived = readUntilCut(socat.feederSide);
        List<ReceiptLayout.Row> rows = new ReceiptFormatter(Messages.bundle(Messages.CHINESE))
                .layout(ReceiptSamples.sale()).render(32);
        byte[] sent = EscPos.encode(rows);

        new SerialReceiptPrinter(socat.scannerSide.toString(), 9600).send(sent);

        byte[] got = arrived.get(20, TimeUnit.SECONDS);
        assertThat(HexFormat.of().formatHex(got)).isEqualTo(HexFormat.of().formatHex(sent));
        assertThat(Arrays.copyOf(got, 2)).containsExactly(0x1B, '@');
        assertThat(Arrays.copyOfRange(got, 2, 7)).containsExactly(0x1B, 't', 0, 0x1C, '.');
        String hex = HexFormat.of().formatHex(got);
        // 合计 in Chinese mode, then the amount's ¥ in code page 437 (0x9D) after Chinese mode is switched off
        assertThat(hex).contains("1c26" + HexFormat.of().formatHex("合计".getBytes(GB18030)));
        assertThat(hex).contains("1c2e9d" + HexFormat.of().formatHex("123,556.78".getBytes(GB18030)) + "0a");
        assertThat(hex).contains(HexFormat.of().formatHex("S001-T1-000001".getBytes(GB18030)));
        assertThat(hex).endsWith("1b64041d5601");
    }

    @Test
    void anUnpluggedPrinterSaysSoAndAPluggedInOneIsFoundAgain() throws Exception {
        socat = new Socat(dir).plugIn();
        socat.unplug();
        SerialReceiptPrinter printer = new SerialReceiptPrinter(socat.scannerSide.toString(), 9600);
        byte[] receipt = EscPos.encode(List.of(new ReceiptLayout.Row("Total ¥1.00", ReceiptLayout.Style.NORMAL)));
        assertThatThrownBy(() -> printer.send(receipt)).isInstanceOfSatisfying(ReceiptPrinter.PrintFailure.class,
                f -> assertThat(f.reason().format(Messages.bundle(java.util.Locale.ENGLISH)))
                        .contains("cannot be opened", socat.scannerSide.toString()));

        socat.plugIn();
        CompletableFuture<byte[]> arrived = readUntilCut(socat.feederSide);
        printer.send(receipt);
        assertThat(arrived.get(20, TimeUnit.SECONDS)).isEqualTo(receipt);
    }

    /** Closing a port drops what it has not sent: each receipt must be on the line whole before the port is closed. */
    @Test
    void receiptsOneAfterAnotherEachArriveWhole() throws Exception {
        socat = new Socat(dir).plugIn();
        SerialReceiptPrinter printer = new SerialReceiptPrinter(socat.scannerSide.toString(), 9600);
        byte[] receipt = EscPos.encode(List.of(new ReceiptLayout.Row("Total ¥1.00", ReceiptLayout.Style.NORMAL)));
        for (int i = 0; i < 3; i++) {
            CompletableFuture<byte[]> arrived = readUntilCut(socat.feederSide);
            printer.send(receipt);
            assertThat(arrived.get(20, TimeUnit.SECONDS)).as("receipt %d", i + 1).isEqualTo(receipt);
        }
    }

    private static boolean endsWith(byte[] bytes, byte[] end) {
        return bytes.length >= end.length
                && Arrays.equals(bytes, bytes.length - end.length, bytes.length, end, 0, end.length);
    }
}
