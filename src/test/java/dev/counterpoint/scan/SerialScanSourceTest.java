package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.shared.Messages;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real serial line: socat's pty pair, the scanner "typed" from the other end. Waits are bounded; nothing is timed. */
class SerialScanSourceTest {
    @TempDir
    Path dir;

    private final List<String> reads = new CopyOnWriteArrayList<>();
    private final List<SerialScanSource.Status> statuses = new CopyOnWriteArrayList<>();
    private Socat socat;
    private SerialScanSource source;

    private void open(ScannerSettings settings) {
        source = new SerialScanSource(settings, Clock.systemUTC(), Runnable::run, statuses::add);
        source.start(e -> {
            assertThat(e.source()).isEqualTo(ScanEvent.Source.SERIAL);
            reads.add(e.code());
        });
    }

    private ScannerSettings settings(ScannerSettings.Framing framing, String suffix, String prefix) {
        return new ScannerSettings(dir.resolve("ttyScanner").toString(), 9600, 8, ScannerSettings.Parity.NONE,
                ScannerSettings.StopBits.ONE, framing, suffix, prefix, "", "", ScannerSettings.WedgeTerminator.ENTER);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (source != null) {
            source.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void splitReadsSeveralCodesAtOnceAndNoiseAreFramedInOrder() throws Exception {
        socat = new Socat(dir).plugIn();
        open(settings(ScannerSettings.Framing.CR, "", ""));
        waitFor(() -> lastState() == SerialScanSource.State.CONNECTED);

        socat.write("40063");
        socat.write("81333931\r");
        socat.write("2900000000018\r96385074\r\r");
        socat.write(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFE, 0x07, '\r'});
        socat.write("MEM-000123\r");
        waitFor(() -> reads.size() >= 5);

        assertThat(reads).hasSize(5);
        assertThat(reads.subList(0, 3)).containsExactly("4006381333931", "2900000000018", "96385074");
        assertThat(CodeParser.parse(reads.get(3))).isInstanceOf(CodeParser.Rejected.class);
        assertThat(reads.get(4)).isEqualTo("MEM-000123");
    }

    @Test
    void crlfFramingWithAPrefixToStrip() throws Exception {
        socat = new Socat(dir).plugIn();
        open(settings(ScannerSettings.Framing.CRLF, "", "]E0"));
        waitFor(() -> lastState() == SerialScanSource.State.CONNECTED);

        socat.write("]E04006381333931\r\n]E0");
        socat.write("96385074\r");
        socat.write("\n");
        waitFor(() -> reads.size() >= 2);
        assertThat(reads).containsExactly("4006381333931", "96385074");
    }

    @Test
    void unpluggedIsReportedAndThePortReopensWhenTheSamePathComesBack() throws Exception {
        socat = new Socat(dir).plugIn();
        open(settings(ScannerSettings.Framing.SUFFIX, "#", ""));
        waitFor(() -> lastState() == SerialScanSource.State.CONNECTED);
        socat.write("4006381333931#");
        waitFor(() -> reads.size() == 1);

        socat.unplug();
        waitFor(() -> lastState() == SerialScanSource.State.WAITING);
        assertThat(text(statuses.get(statuses.size() - 1)))
                .isEqualTo("Scanner " + dir.resolve("ttyScanner") + " unplugged: waiting for it to come back");

        socat = new Socat(dir).plugIn();
        waitFor(() -> lastState() == SerialScanSource.State.CONNECTED);
        socat.write("96385074#");
        waitFor(() -> reads.size() == 2);
        assertThat(reads).containsExactly("4006381333931", "96385074");
        assertThat(states()).containsSubsequence(SerialScanSource.State.CONNECTED, SerialScanSource.State.WAITING,
                SerialScanSource.State.CONNECTED);
    }

    @Test
    void aMissingPortSaysWhatToDoAndIsOpenedOnceItAppears() throws Exception {
        open(settings(ScannerSettings.Framing.CR, "", ""));
        waitFor(() -> lastState() == SerialScanSource.State.WAITING);
        assertThat(statuses.get(0).message().format(Messages.CHINESE))
                .isEqualTo("未找到扫描枪 " + dir.resolve("ttyScanner") + "：请插上扫描枪，或在扫描枪设置中检查端口");

        socat = new Socat(dir).plugIn();
        waitFor(() -> lastState() == SerialScanSource.State.CONNECTED);
        socat.write("4006381333931\r");
        waitFor(() -> reads.size() == 1);
        assertThat(reads).containsExactly("4006381333931");
    }

    @Test
    void closingReportsClosedAndStopsReading() throws Exception {
        socat = new Socat(dir).plugIn();
        open(settings(ScannerSettings.Framing.CR, "", ""));
        waitFor(() -> lastState() == SerialScanSource.State.CONNECTED);
        source.close();
        assertThat(lastState()).isEqualTo(SerialScanSource.State.CLOSED);
    }

    private SerialScanSource.State lastState() {
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1).state();
    }

    private List<SerialScanSource.State> states() {
        List<SerialScanSource.State> out = new ArrayList<>();
        statuses.forEach(s -> out.add(s.state()));
        return out;
    }

    private static String text(SerialScanSource.Status s) {
        return s.message().format(Locale.ENGLISH);
    }

    /** Waits up to 10 s for the condition; fails with what was seen if it never holds. */
    private void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s; reads " + reads + ", statuses " + statuses);
            }
            Thread.sleep(20);
        }
    }
}
