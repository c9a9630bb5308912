package dev.counterpoint.scan;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.event.Event;
import javafx.event.EventHandler;
import javafx.event.EventTarget;
import javafx.scene.Scene;
import javafx.scene.input.InputMethodEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.util.Duration;

/**
 * Catches keyboard-wedge scans anywhere in a scene, whatever has focus.
 *
 * <p>Scene-level filters hold each typed character back (at most the wedge gap), feed a
 * {@link BurstDetector}, and either swallow burst + Enter as a {@link ScanEvent} or replay the held
 * characters to the focused control, in order, as the person typed them. Only printable-ASCII
 * KEY_TYPED events and the terminator key (Enter and/or Tab, as set up) take part: input-method
 * composition (InputMethodEvent) and other characters pass untouched, after the held text has been
 * let go, and so do shortcuts, editing and navigation keys.
 */
public final class WedgeKeyFilter implements ScanSource {
    private final Scene scene;
    private final BurstDetector detector;
    private final Clock clock;
    private final ScannerSettings.WedgeTerminator terminator;
    private final Duration maxGap;
    private final EventHandler<KeyEvent> typedFilter = this::onKeyTyped;
    private final EventHandler<KeyEvent> pressedFilter = this::onKeyPressed;
    private final EventHandler<MouseEvent> mouseFilter = e -> letGo();
    private final EventHandler<InputMethodEvent> imeFilter = e -> letGo();
    private Consumer<ScanEvent> scans;
    private final PauseTransition timer = new PauseTransition();
    private final Deque<KeyEvent> held = new ArrayDeque<>();
    /** True while held events are re-dispatched: they pass through these filters once more and must not be caught again. */
    private boolean replaying;
    /** After a scan's Enter press is swallowed, its KEY_TYPED "\r" must not reach the field either. */
    private boolean swallowEnterTyped;

    /** A filter for the scene with the wedge thresholds and how the scanner frames its codes. */
    public WedgeKeyFilter(Scene scene, long maxGapMillis, int minLength, ScannerSettings settings, Clock clock) {
        this.scene = scene;
        this.detector = new BurstDetector(maxGapMillis, minLength, settings.wedgePrefix(), settings.wedgeSuffix());
        this.clock = clock;
        this.terminator = settings.wedgeTerminator();
        this.maxGap = Duration.millis(maxGapMillis);
        timer.setOnFinished(e -> onTimer());
    }

    /** Installs the filters on the scene; scans are reported on the FX thread. */
    @Override
    public void start(Consumer<ScanEvent> sink) {
        if (scans != null) {
            throw new IllegalStateException("already started");
        }
        scans = sink;
        scene.addEventFilter(KeyEvent.KEY_TYPED, typedFilter);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, pressedFilter);
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, mouseFilter);
        scene.addEventFilter(InputMethodEvent.INPUT_METHOD_TEXT_CHANGED, imeFilter);
    }

    /** Lets go of anything held and removes the filters. */
    @Override
    public void close() {
        apply(detector.flush());
        timer.stop();
        scene.removeEventFilter(KeyEvent.KEY_TYPED, typedFilter);
        scene.removeEventFilter(KeyEvent.KEY_PRESSED, pressedFilter);
        scene.removeEventFilter(MouseEvent.MOUSE_PRESSED, mouseFilter);
        scene.removeEventFilter(InputMethodEvent.INPUT_METHOD_TEXT_CHANGED, imeFilter);
    }

    private void onKeyTyped(KeyEvent e) {
        if (replaying) {
            return;
        }
        String ch = e.getCharacter();
        if (swallowEnterTyped && ("\r".equals(ch) || "\n".equals(ch) || "\t".equals(ch))) {
            swallowEnterTyped = false;
            e.consume();
            return;
        }
        if (ch.length() != 1 || Character.isISOControl(ch.charAt(0))
                || e.isControlDown() || e.isAltDown() || e.isMetaDown()) {
            return;
        }
        if (!BurstDetector.scannerCharacter(ch.charAt(0))) {
            // a person's text (e.g. committed by an input method): what is held goes first, this passes as typed
            apply(detector.flush());
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
        if (isTerminator(code) && !modified && !e.isShiftDown()) {
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

    /** Something other than scanner typing happened (a click, input-method text): what is held goes first. */
    private void letGo() {
        apply(detector.flush());
    }

    private boolean isTerminator(KeyCode code) {
        return switch (terminator) {
            case ENTER -> code == KeyCode.ENTER;
            case TAB -> code == KeyCode.TAB;
            case ENTER_OR_TAB -> code == KeyCode.ENTER || code == KeyCode.TAB;
        };
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
