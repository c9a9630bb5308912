package dev.counterpoint.receipt;

import dev.counterpoint.shared.UserMessage;

/** Where receipt bytes go. A printer that cannot take them says why; the sale they belong to is already saved. */
public interface ReceiptPrinter {
    /** Sends one receipt's bytes, whole. */
    void send(byte[] bytes) throws PrintFailure;

    /** Why a receipt did not print, as the cashier is told. */
    final class PrintFailure extends Exception {
        private final UserMessage reason;

        public PrintFailure(UserMessage reason, Throwable cause) {
            super(reason.key(), cause);
            this.reason = reason;
        }

        public UserMessage reason() {
            return reason;
        }
    }
}
