package dev.counterpoint.scan;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.event.Event;
import javafx.event.EventTarget;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.util.Duration;

/**
 * Catches keyboard-wedge scans anywhere in a scene, whatever has focus.
 *
 * <p>Scene-level filters hold each typed character back (at most the wedge gap), feed a
 * {@link BurstDetector}, and either swallow burst + Enter as a {@link ScanEvent} or replay the held
 * characters to the focused control, in order, as the person typed them. Only printable KEY_TYPED
 * events and Enter take part: input-method composition (InputMethodEvent) is not filtered at all,
 * and shortcuts, editing and navigation keys pass after the held text has been let go.
 */
public final class WedgeKeyFilter {
    private final Scene scene;
    private final BurstDetector detector;
    private final Clock clock;
    private final Consumer<ScanEvent> scans;
    private final Duration maxGap;
    private final PauseTransition timer = new PauseTransition();
    private final Deque<KeyEvent> held = new ArrayDeque<>();
    /** True while held events are re-dispatched: they pass through these filters once more and must not be caught again. */
    private boolean replaying;
    /** After a scan's Enter press is swallowed, its KEY_TYPED "\r" must not reach the field either. */
    private boolean swallowEnterTyped;

    private WedgeKeyFilter(Scene scene, long maxGapMillis, int minLength, Clock clock, Consumer<ScanEvent> scans) {
        this.scene = scene;
        this.detector = new BurstDetector(maxGapMillis, minLength);
        this.clock = clock;
        this.scans = scans;
        this.maxGap = Duration.millis(maxGapMillis);
        timer.setOnFinished(e -> onTimer());
    }

    /** Installs the filters on the scene; scans are reported on the FX thread. */
    public static WedgeKeyFilter install(Scene scene, long maxGapMillis, int minLength, Clock clock,
                                         Consumer<ScanEvent> scans) {
        WedgeKeyFilter filter = new WedgeKeyFilter(scene, maxGapMillis, minLength, clock, scans);
        scene.addEventFilter(KeyEvent.KEY_TYPED, filter::onKeyTyped);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, filter::onKeyPressed);
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> filter.apply(filter.detector.flush()));
        return filter;
    }

    private void onKeyTyped(KeyEvent e) {
        if (replaying) {
            return;
        }
        String ch = e.getCharacter();
        if (swallowEnterTyped && ("\r".equals(ch) || "\n".equals(ch))) {
            swallowEnterTyped = false;
            e.consume();
            return;
        }
        if (ch.length() != 1 || Character.isISOControl(ch.charAt(0))
                || e.isControlDown() || e.isAltDown() || e.isMetaDown()) {
            return;
        }
        apply(detector.onChar(ch.charAt(0), System.nanoTime()));
        held.addLast(e);
        e.consume();
        timer.stop();
        timer.setDuration(maxGap);
        timer.playFromStart();
    }

    private void onKeyPressed(KeyEvent e) {
        if (replaying) {
            return;
        }
        swallowEnterTyped = false;
        KeyCode code = e.getCode();
        boolean modified = e.isControlDown() || e.isAltDown() || e.isMetaDown() || e.isShortcutDown();
        if (code == KeyCode.ENTER && !modified) {
            BurstDetector.Decision d = detector.onEnter(System.nanoTime());
            if (d.action() == BurstDetector.Action.SCAN) {
                e.consume();
                held.clear();
                timer.stop();
                swallowEnterTyped = true;
                scans.accept(new ScanEvent(d.text(), ScanEvent.Source.WEDGE, clock.instant()));
            } else {
                apply(d);
            }
        } else if (modified || code.isNavigationKey() || code.isFunctionKey() || code == KeyCode.BACK_SPACE
                || code == KeyCode.DELETE || code == KeyCode.TAB || code == KeyCode.ESCAPE) {
            apply(detector.flush());
        }
    }

    private void onTimer() {
        apply(detector.onTimeout(System.nanoTime()));
        if (detector.holding()) {
            // the pulse-driven timer can fire a little early: wait out the rest of the gap
            long remainingNanos = detector.deadlineNanos() - System.nanoTime();
            timer.setDuration(Duration.millis(Math.max(1, remainingNanos / 1_000_000.0)));
            timer.playFromStart();
        }
    }

    /** Carries out a RELEASE: the oldest held events, as many as the released text, go to the focused control. */
    private void apply(BurstDetector.Decision d) {
        if (d.action() != BurstDetector.Action.RELEASE || d.text().isEmpty()) {
            return;
        }
        if (!detector.holding()) {
            timer.stop();
        }
        EventTarget target = scene.getFocusOwner() != null ? scene.getFocusOwner() : scene;
        replaying = true;
        try {
            for (int i = 0; i < d.text().length() && !held.isEmpty(); i++) {
                KeyEvent original = held.removeFirst();
                Event.fireEvent(target, original.copyFor(target, target));
            }
        } finally {
            replaying = false;
        }
    }
}
