package dev.counterpoint.receipt;

import com.fazecast.jSerialComm.SerialPort;
import dev.counterpoint.shared.UserMessage;
import java.time.Duration;

/**
 * An ESC/POS printer on a serial port (or a USB printer that shows itself as one), opened for each receipt and closed
 * after it, so an unplugged printer costs nothing until the next receipt and a printer plugged back in is found again.
 * 8 data bits, no parity, one stop bit.
 */
public final class SerialReceiptPrinter implements ReceiptPrinter {
    /** How long one receipt may take to leave the port: a 2 KB receipt takes 2 s at 9600 baud. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Time for the far end (a USB adapter, a pty's reader) to take the last bytes off the line. */
    static final Duration LINGER = Duration.ofMillis(50);

    private final String port;
    private final int baud;

    public SerialReceiptPrinter(String port, int baud) {
        this.port = port;
        this.baud = baud;
    }

    @Override
    public void send(byte[] bytes) throws PrintFailure {
        SerialPort p;
        try {
            p = SerialPort.getCommPort(port);
        } catch (com.fazecast.jSerialComm.SerialPortInvalidPortException e) {
            // the device is gone (a USB printer unplugged, a pty closed)
            throw new PrintFailure(new UserMessage("receipt.printer.cannotOpen", port), e);
        }
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setComPortTimeouts(SerialPort.TIMEOUT_WRITE_BLOCKING, 0, (int) WRITE_TIMEOUT.toMillis());
        if (!p.openPort()) {
            throw new PrintFailure(new UserMessage("receipt.printer.cannotOpen", port), null);
        }
        try {
            int done = 0;
            while (done < bytes.length) {
                int n = p.writeBytes(bytes, bytes.length - done, done);
                if (n <= 0) {
                    throw new PrintFailure(new UserMessage("receipt.printer.writeFailed", port), null);
                }
                done += n;
            }
            // Closing the port discards what it has not sent yet (the last lines and the cut would be lost): wait until
            // the line has had time to carry every byte (ten bits each, start and stop included) and the driver's queue
            // is empty, within the same bound.
            long start = System.nanoTime();
            long onTheLine = bytes.length * 10L * 1_000_000_000L / baud + LINGER.toNanos();
            long deadline = start + WRITE_TIMEOUT.toNanos();
            while ((System.nanoTime() - start < onTheLine || p.bytesAwaitingWrite() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrintFailure(new UserMessage("receipt.printer.writeFailed", port), e);
        } finally {
            p.closePort();
        }
    }
}
