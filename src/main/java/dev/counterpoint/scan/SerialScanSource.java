package dev.counterpoint.scan;

import com.fazecast.jSerialComm.SerialPort;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial scanner (RS-232 or USB-CDC) read by one thread that also watches the device: it opens the
 * port when it is there, reads and frames codes, notices a read failing or the device node vanishing
 * (unplugged), and opens the port again when the same path comes back, all without a restart.
 * Reads and status changes are handed to the callback executor (the UI thread in the app).
 *
 * <p>Timings: a read waits at most {@value #READ_TIMEOUT_MILLIS} ms and an absent port is looked for
 * every {@value #RETRY_MILLIS} ms, so unplugging and plugging back are both noticed well within 2 s.
 */
public final class SerialScanSource implements ScanSource {
    private static final Logger LOG = LoggerFactory.getLogger(SerialScanSource.class);
    static final int READ_TIMEOUT_MILLIS = 200;
    static final int RETRY_MILLIS = 250;
    /** errno values jSerialComm reports from open(2) on Linux and macOS. */
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;

    public enum State { CONNECTED, WAITING, FAILED, CLOSED }

    /** Where the scanner stands, with the text for the status bar. */
    public record Status(State state, UserMessage message) {
    }

    private final ScannerSettings settings;
    private final Clock clock;
    private final Executor callbacks;
    private final Consumer<Status> statusSink;
    private volatile boolean running;
    private volatile Thread thread;
    private Consumer<ScanEvent> sink;
    private Status last;
    private boolean everConnected;

    public SerialScanSource(ScannerSettings settings, Clock clock, Executor callbacks, Consumer<Status> statusSink) {
        if (!settings.serialEnabled()) {
            throw new IllegalArgumentException("no serial port configured");
        }
        this.settings = settings;
        this.clock = clock;
        this.callbacks = callbacks;
        this.statusSink = statusSink;
    }

    @Override
    public synchronized void start(Consumer<ScanEvent> scans) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        this.sink = Objects.requireNonNull(scans);
        running = true;
        Thread t = new Thread(this::run, "serial-scanner " + settings.port());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        byte[] buffer = new byte[1024];
        SerialPort port = null;
        FrameAssembler frames = null;
        boolean libraryMissing = false;
        try {
            while (running) {
                try {
                    if (port == null) {
                        port = open();
                        if (port == null) {
                            pause();
                            continue;
                        }
                        frames = new FrameAssembler(settings.terminator(), settings.prefix());
                        everConnected = true;
                        report(State.CONNECTED, "scanner.serial.connected");
                    }
                    int n = port.readBytes(buffer, buffer.length);
                    if (n < 0 || !stillThere()) {
                        LOG.info("serial scanner {} gone (read returned {}, error {})", settings.port(), n,
                                port.getLastErrorCode());
                        port.closePort();
                        port = null;
                        report(State.WAITING, "scanner.serial.unplugged");
                        continue;
                    }
                    for (String read : frames.feed(buffer, n)) {
                        ScanEvent event = new ScanEvent(read, ScanEvent.Source.SERIAL, clock.instant());
                        callbacks.execute(() -> sink.accept(event));
                    }
                } catch (RuntimeException e) {
                    // whatever went wrong with this port, start over with it rather than stop scanning
                    LOG.error("serial scanner {} failed; trying again", settings.port(), e);
                    if (port != null) {
                        port.closePort();
                        port = null;
                    }
                    report(State.FAILED, "scanner.serial.failed", e.getClass().getSimpleName());
                    pause();
                }
            }
        } catch (LinkageError e) {
            // jSerialComm's native library cannot be loaded here: retrying cannot help
            LOG.error("serial scanning is unavailable: jSerialComm's native library did not load", e);
            libraryMissing = true;
            report(State.FAILED, "scanner.serial.unavailable");
        } finally {
            if (port != null) {
                port.closePort();
            }
            if (!libraryMissing) {
                report(State.CLOSED, "scanner.serial.closed");
            }
        }
    }

    /** The opened port, or null after reporting why not. */
    private SerialPort open() {
        Path path = devicePath();
        if (path != null && !Files.exists(path)) {
            report(State.WAITING, everConnected ? "scanner.serial.unplugged" : "scanner.serial.missing");
            return null;
        }
        if (path != null && (!Files.isReadable(path) || !Files.isWritable(path))) {
            report(State.FAILED, "scanner.serial.permission");
            return null;
        }
        SerialPort port = SerialPort.getCommPort(settings.port());
        port.setComPortParameters(settings.baud(), settings.dataBits(), stopBits(), parity());
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MILLIS, 0);
        if (port.openPort()) {
            return port;
        }
        int error = port.getLastErrorCode();
        switch (error) {
            case EACCES -> report(State.FAILED, "scanner.serial.permission");
            case ENOENT -> report(State.WAITING, everConnected ? "scanner.serial.unplugged" : "scanner.serial.missing");
            case EBUSY -> report(State.FAILED, "scanner.serial.busy");
            default -> report(State.FAILED, "scanner.serial.failed", error);
        }
        return null;
    }

    /** A device node on Unix-like systems; null for names such as COM3, which only the OS can check. */
    private Path devicePath() {
        return settings.port().contains("/") ? Path.of(settings.port()) : null;
    }

    private boolean stillThere() {
        Path path = devicePath();
        return path == null || Files.exists(path);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    /** Reports a change of state (the same state and message again are not repeated). */
    private void report(State state, String key, Object... more) {
        Object[] args = new Object[more.length + 1];
        args[0] = settings.port();
        System.arraycopy(more, 0, args, 1, more.length);
        Status status = new Status(state, new UserMessage(key, args));
        if (last != null && last.state() == state && last.message().key().equals(key)) {
            return;
        }
        last = status;
        LOG.info("serial scanner {}: {}", settings.port(), key);
        callbacks.execute(() -> statusSink.accept(status));
    }

    private int stopBits() {
        return switch (settings.stopBits()) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
    }

    private int parity() {
        return switch (settings.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
    }
}
