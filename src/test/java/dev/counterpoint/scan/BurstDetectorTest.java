package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.scan.BurstDetector.Action;
import dev.counterpoint.scan.BurstDetector.Decision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurstDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long MAX_GAP_MS = 50;
    private final BurstDetector detector = new BurstDetector(MAX_GAP_MS, 4);

    /** What the focused field ends up with, and which scans were seen, for a synthetic timeline. */
    private final StringBuilder field = new StringBuilder();
    private final List<String> scans = new ArrayList<>();

    private void typed(String text, long startMs, long gapMs) {
        long t = startMs;
        for (char c : text.toCharArray()) {
            apply(detector.onChar(c, t * MS));
            t += gapMs;
        }
    }

    private void enter(long atMs) {
        Decision d = detector.onEnter(atMs * MS);
        apply(d);
        if (d.action() != Action.SCAN) {
            field.append('⏎');
        }
    }

    private void timeout(long atMs) {
        apply(detector.onTimeout(atMs * MS));
    }

    private void apply(Decision d) {
        switch (d.action()) {
            case RELEASE -> field.append(d.text());
            case SCAN -> scans.add(d.text());
            case HOLD -> { }
        }
    }

    @Test
    void aFastBurstEndingInEnterIsAScanAndNothingReachesTheField() {
        typed("2900000000017", 1000, 8);
        enter(1000 + 12 * 8 + 9);

        assertThat(scans).containsExactly("2900000000017");
        assertThat(field).isEmpty();
        assertThat(detector.holding()).isFalse();
    }

    @Test
    void everyCharacterIsHeldUntilTheBurstIsDecided() {
        assertThat(detector.onChar('2', 0)).isEqualTo(new Decision(Action.HOLD, ""));
        assertThat(detector.onChar('9', 5 * MS)).isEqualTo(new Decision(Action.HOLD, ""));
        assertThat(detector.holding()).isTrue();
        assertThat(detector.deadlineNanos()).isEqualTo(55 * MS);
    }

    @Test
    void slowTypingIsReleasedCharacterByCharacterAtEachTimeout() {
        long t = 0;
        for (char c : "王小明".toCharArray()) {
            apply(detector.onChar(c, t * MS));
            timeout(t + MAX_GAP_MS);
            t += 180;
        }
        enter(t);

        assertThat(field).hasToString("王小明⏎");
        assertThat(scans).isEmpty();
    }

    @Test
    void slowTypingWithoutTimeoutsIsReleasedByTheNextKeyAndByEnter() {
        // the FX thread was busy: no timer fired, but the gaps tell
        typed("1234", 0, 200);
        assertThat(field).hasToString("123");
        enter(600 + 200);

        assertThat(field).hasToString("1234⏎");
        assertThat(scans).isEmpty();
    }

    @Test
    void aTimerThatFiresEarlyReleasesNothing() {
        typed("29", 0, 5);
        timeout(5 + MAX_GAP_MS - 1);

        assertThat(field).isEmpty();
        assertThat(detector.holding()).isTrue();
        timeout(5 + MAX_GAP_MS);
        assertThat(field).hasToString("29");
    }

    @Test
    void aBurstShorterThanTheMinimumLengthIsTyping() {
        typed("123", 0, 5);
        enter(15);

        assertThat(scans).isEmpty();
        assertThat(field).hasToString("123⏎");
    }

    @Test
    void aBurstOfExactlyTheMinimumLengthIsAScan() {
        typed("1234", 0, 5);
        enter(20);

        assertThat(scans).containsExactly("1234");
    }

    @Test
    void enterFromAPersonWithNothingHeldGoesThrough() {
        Decision d = detector.onEnter(1000 * MS);

        assertThat(d).isEqualTo(new Decision(Action.RELEASE, ""));
    }

    @Test
    void enterAfterAPauseIsAPersonConfirmingTheirTyping() {
        typed("13800138000", 0, 5);
        enter(50 + MAX_GAP_MS + 30);

        assertThat(scans).isEmpty();
        assertThat(field).hasToString("13800138000⏎");
    }

    @Test
    void aBurstWithoutEnterIsReleasedWhenItGoesQuiet() {
        typed("29000000", 0, 5);
        timeout(35 + MAX_GAP_MS);

        assertThat(scans).isEmpty();
        assertThat(field).hasToString("29000000");
    }

    @Test
    void slowTypingThenAScanKeepsBothApart() {
        typed("王", 0, 0);
        timeout(MAX_GAP_MS);
        typed("芳", 400, 0);
        // the scan starts before the timer for the last typed character fired
        typed("2912345678903", 400 + MAX_GAP_MS + 20, 6);
        enter(400 + MAX_GAP_MS + 20 + 12 * 6 + 4);

        assertThat(field).hasToString("王芳");
        assertThat(scans).containsExactly("2912345678903");
    }

    @Test
    void aScanThenTypingStartsFresh() {
        typed("2912345678903", 0, 5);
        enter(65);
        typed("a", 500, 0);
        timeout(500 + MAX_GAP_MS);

        assertThat(scans).containsExactly("2912345678903");
        assertThat(field).hasToString("a");
    }

    @Test
    void aGapInTheMiddleOfABurstSplitsItAndTheTailIsTooShort() {
        typed("2912", 0, 5);
        typed("345", 15 + MAX_GAP_MS + 1, 5);
        enter(15 + MAX_GAP_MS + 1 + 15);

        assertThat(scans).isEmpty();
        assertThat(field).hasToString("2912345⏎");
    }

    @Test
    void flushLetsGoOfWhatIsHeldInOrder() {
        typed("ab", 0, 10);

        assertThat(detector.flush()).isEqualTo(new Decision(Action.RELEASE, "ab"));
        assertThat(detector.holding()).isFalse();
        assertThat(detector.flush()).isEqualTo(new Decision(Action.RELEASE, ""));
    }

    @Test
    void aScannerSetUpWithPrefixAndSuffixIsRecognisedByThemAndReportedWithout() {
        BurstDetector framed = new BurstDetector(MAX_GAP_MS, 4, "]C1", "#");
        long t = 0;
        for (char c : "]C12900000000018#".toCharArray()) {
            assertThat(framed.onChar(c, t * MS).action()).isEqualTo(Action.HOLD);
            t += 4;
        }
        assertThat(framed.onEnter(t * MS)).isEqualTo(new Decision(Action.SCAN, "2900000000018"));
    }

    @Test
    void withAPrefixSetUpAFastBurstWithoutItIsTypingNotAScan() {
        BurstDetector framed = new BurstDetector(MAX_GAP_MS, 4, "]C1", "");
        long t = 0;
        for (char c : "13800138000".toCharArray()) {
            framed.onChar(c, t * MS);
            t += 4;
        }
        assertThat(framed.onEnter(t * MS)).isEqualTo(new Decision(Action.RELEASE, "13800138000"));
    }

    @Test
    void prefixAndSuffixDoNotCountTowardsTheMinimumLength() {
        BurstDetector framed = new BurstDetector(MAX_GAP_MS, 4, "AB", "Z");
        long t = 0;
        for (char c : "AB123Z".toCharArray()) {
            framed.onChar(c, t * MS);
            t += 4;
        }
        assertThat(framed.onEnter(t * MS)).isEqualTo(new Decision(Action.RELEASE, "AB123Z"));
    }

    @Test
    void onlyPrintableAsciiIsEverHeldForAScan() {
        assertThat(BurstDetector.scannerCharacter('7')).isTrue();
        assertThat(BurstDetector.scannerCharacter('~')).isTrue();
        assertThat(BurstDetector.scannerCharacter('王')).isFalse();
        assertThat(BurstDetector.scannerCharacter('\t')).isFalse();
        assertThat(BurstDetector.scannerCharacter('\u00e9')).isFalse();
    }

    @Test
    void inputMethodTextInTheMiddleOfFastTypingLetsTheHeldTextGoFirst() {
        // a person types "ab" quickly, then the input method commits 王: the filter flushes before it passes
        typed("ab", 0, 5);
        apply(detector.flush());
        field.append('王');
        typed("cd", 20, 5);
        enter(30);

        assertThat(scans).isEmpty();
        assertThat(field).hasToString("ab王cd⏎");
    }

    @Test
    void aTabTerminatedBurstIsAScanAndATabAfterSlowTypingMovesOn() {
        // the filter reports Tab through onEnter when the scanner is set up to end codes with Tab
        typed("MEM-000123", 0, 3);
        Decision scan = detector.onEnter(30 * MS);
        typed("ab", 1000, 300);
        Decision personTab = detector.onEnter(2000 * MS);

        assertThat(scan).isEqualTo(new Decision(Action.SCAN, "MEM-000123"));
        assertThat(personTab).isEqualTo(new Decision(Action.RELEASE, "b"));
        assertThat(field).hasToString("a");
    }

    @Test
    void aPrefixMustBeSomethingAScannerCanType() {
        assertThatThrownBy(() -> new BurstDetector(50, 4, "\u0002", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thresholdsMustBePositive() {
        assertThatThrownBy(() -> new BurstDetector(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BurstDetector(50, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
