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

    private final String port;
    private final int baud;

    public SerialReceiptPrinter(String port, int baud) {
        this.port = port;
        this.baud = baud;
    }

    @Override
    public void send(byte[] bytes) throws PrintFailure {
        SerialPort p = SerialPort.getCommPort(port);
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
            // Let the port's buffer drain before closing it, within the same bound.
            long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
            while (p.bytesAwaitingWrite() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrintFailure(new UserMessage("receipt.printer.writeFailed", port), e);
        } finally {
            p.closePort();
        }
    }
}
