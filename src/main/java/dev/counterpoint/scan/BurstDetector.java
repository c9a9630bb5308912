package dev.counterpoint.scan;

import java.util.concurrent.TimeUnit;

/**
 * Tells a keyboard-wedge scanner from a person at the same keyboard, from key timing alone.
 *
 * <p>A scanner types its code with gaps of a few milliseconds and ends with Enter; a person leaves
 * far longer gaps. Every printable character is held back; the held characters become a scan when
 * Enter follows at least {@code minLength} of them, each within {@code maxGap} of the one before.
 * As soon as a gap is longer (a timeout, the next key, or Enter after a pause) they are released
 * to the field they were typed into, so a person sees their typing at most {@code maxGap} late.
 *
 * <p>A scanner set up to add a prefix and/or suffix to each code is recognised by them: the burst
 * must carry both, and the code is reported without them, so fast typing that lacks them is never
 * taken for a scan. Which key ends a code (Enter, Tab) is the caller's choice: it reports that key
 * through {@link #onEnter}. Only printable ASCII is ever held ({@link #scannerCharacter}); anything
 * else, such as text committed by a Chinese input method, is a person typing.
 *
 * <p>Pure and single-threaded: the caller feeds events with their time and carries out the decision.
 */
public final class BurstDetector {

    public enum Action {
        /** Swallow the current event; nothing to replay. */
        HOLD,
        /**
         * Replay {@code text} (possibly empty) to the focused field first. A character event is then
         * held as the start of a new burst; an Enter or other key goes on as typed.
         */
        RELEASE,
        /** Swallow the Enter: {@code text} is a scanned code. */
        SCAN
    }

    /** What to do with the current event. */
    public record Decision(Action action, String text) {
        static final Decision HOLD = new Decision(Action.HOLD, "");
    }

    private final long maxGapNanos;
    private final int minLength;
    private final String prefix;
    private final String suffix;
    private final StringBuilder held = new StringBuilder();
    private long lastNanos;

    public BurstDetector(long maxGapMillis, int minLength) {
        this(maxGapMillis, minLength, "", "");
    }

    /** {@code minLength} counts the code alone, without prefix and suffix. */
    public BurstDetector(long maxGapMillis, int minLength, String prefix, String suffix) {
        if (maxGapMillis <= 0 || minLength <= 0) {
            throw new IllegalArgumentException("wedge thresholds must be positive: maxGapMillis=" + maxGapMillis
                    + ", minLength=" + minLength);
        }
        this.maxGapNanos = TimeUnit.MILLISECONDS.toNanos(maxGapMillis);
        this.minLength = minLength;
        this.prefix = prefix == null ? "" : prefix;
        this.suffix = suffix == null ? "" : suffix;
        if (!(this.prefix + this.suffix).chars().allMatch(c -> scannerCharacter((char) c))) {
            throw new IllegalArgumentException("a wedge prefix or suffix must be printable ASCII: \""
                    + this.prefix + "\" / \"" + this.suffix + "\"");
        }
    }

    /** What a keyboard-wedge scanner types: printable ASCII. Anything else is left alone. */
    public static boolean scannerCharacter(char c) {
        return c >= ' ' && c <= '~';
    }

    /** A printable character typed at {@code nanos}: held; what was held before is released if the gap was long. */
    public Decision onChar(char c, long nanos) {
        Decision d = held.length() > 0 && nanos - lastNanos > maxGapNanos ? release() : Decision.HOLD;
        held.append(c);
        lastNanos = nanos;
        return d;
    }

    /**
     * The terminator key (Enter, or Tab if so set up) at {@code nanos}: a scan if a long enough burst
     * with the configured prefix and suffix just ended; otherwise the held text goes first.
     */
    public Decision onEnter(long nanos) {
        int codeLength = held.length() - prefix.length() - suffix.length();
        if (codeLength >= minLength && nanos - lastNanos <= maxGapNanos
                && held.indexOf(prefix) == 0 && held.lastIndexOf(suffix) == held.length() - suffix.length()) {
            String code = held.substring(prefix.length(), held.length() - suffix.length());
            held.setLength(0);
            return new Decision(Action.SCAN, code);
        }
        return release();
    }

    /** The deadline has passed (or maybe not yet, if a timer fired early): release once the gap is over. */
    public Decision onTimeout(long nanos) {
        return held.length() > 0 && nanos - lastNanos >= maxGapNanos ? release() : Decision.HOLD;
    }

    /** Something other than typing happened (a click, Backspace, an arrow key): order matters, so let go now. */
    public Decision flush() {
        return release();
    }

    public boolean holding() {
        return held.length() > 0;
    }

    /** When {@link #onTimeout} should be called next, on the same clock as the events; meaningful while holding. */
    public long deadlineNanos() {
        return lastNanos + maxGapNanos;
    }

    private Decision release() {
        String text = held.toString();
        held.setLength(0);
        return new Decision(Action.RELEASE, text);
    }
}
