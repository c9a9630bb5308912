package dev.counterpoint.checkout;

import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;

/**
 * A sale or top-up above {@link #THRESHOLD_FEN} goes through only on a second Enter (or F2) for the same amount: the
 * first one only says how much it is. A slip of the keyboard (a decimal point missed, "12345" for 123.45, or a zero too
 * many) turns a normal amount into a large one, and a single key would otherwise record it at once. Typing another
 * amount, another member on the counter, or Esc, asks again.
 */
final class LargeAmountCheck {
    /**
     * ¥10,000: two orders of magnitude above a counter's usual ticket, where such slips land, and a tenth of the
     * largest top-up the protocol allows ({@code Limits.MAX_TOP_UP_FEN}); neither the rules nor {@code Limits} hold a
     * figure for "unusual". Amounts up to it go through on the first key, as before.
     */
    static final long THRESHOLD_FEN = 1_000_000;

    private final CounterMessages messages;
    private final String key;
    /** The amount the cashier was asked to confirm, or null. UI thread only. */
    private Long asked;

    /** @param key the message asking for the second key, with the amount as {0} */
    LargeAmountCheck(CounterMessages messages, String key) {
        this.messages = messages;
        this.key = key;
    }

    /**
     * Whether {@code fen} may go through now: it is not large, or it is the amount just asked about. Otherwise the
     * message line asks for the second key and this says no. {@code refusedAboveFen}: larger amounts are refused anyway
     * (the service says why), so asking first would only be a step more.
     */
    boolean mayGo(long fen, long refusedAboveFen) {
        if (fen <= THRESHOLD_FEN || fen > refusedAboveFen) {
            return true;
        }
        if (asked != null && asked == fen) {
            asked = null;
            return true;
        }
        asked = fen;
        messages.warn(new UserMessage(key, Money.format(fen)));
        return false;
    }

    /** The amount changed, or the counter moved on: the next large amount is asked about again. */
    void reset() {
        asked = null;
    }

    /** Esc while asking: nothing goes through; true if anything was being asked. */
    boolean cancel() {
        boolean was = asked != null;
        asked = null;
        return was;
    }
}
