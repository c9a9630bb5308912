package dev.counterpoint.shared;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way view models run work off the UI thread: the work runs on the background executor (a window's database
 * thread, so tasks run one at a time in the order they were started) and its result is applied on the UI executor.
 * A refusal ({@link BusinessRuleException}) or a failure becomes a {@link UserMessage} for whoever reports failures;
 * nothing thrown is lost and the UI never sees an exception. Tests build it with {@link #onCallingThread()}: each task
 * is then done, result applied, when the call that started it returns.
 *
 * <p>Everything but {@link #deliver} is called on the UI thread.
 */
public final class BackgroundTasks {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundTasks.class);

    private final Executor ui;
    private final Executor background;
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    /** Tasks started and not yet applied; UI thread only. */
    private int running;
    private Consumer<UserMessage> failures = m -> LOG.warn("a background task failed and nobody reports it: {}", m.key());
    private Runnable afterResult = () -> { };
    private Runnable beforeWaiting = () -> { };

    public BackgroundTasks(Executor ui, Executor background) {
        this.ui = ui;
        this.background = background;
    }

    /** Work and result both on the calling thread. */
    public static BackgroundTasks onCallingThread() {
        return new BackgroundTasks(Runnable::run, Runnable::run);
    }

    /** Where refusals and failures are shown (a window's message line), unless a task says otherwise. */
    public void reportFailuresTo(Consumer<UserMessage> sink) {
        failures = sink;
    }

    /**
     * What is done on the UI thread each time a result has been applied (after the properties and lists have changed):
     * a window lays its scene out there and then.
     */
    public void afterEachResult(Runnable action) {
        afterResult = action;
    }

    /**
     * What the UI thread does before it waits for a result: a window asks for the next pulse, so that a pulse that
     * comes due during the wait is already queued and runs as soon as the result is applied, instead of one frame on.
     */
    public void beforeWaiting(Runnable action) {
        beforeWaiting = action;
    }

    /** True while any task is under way. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** News from another thread (a scheduler, a device) to be applied on the UI thread. */
    public void deliver(Runnable news) {
        ui.execute(news);
    }

    /** Runs {@code work} in the background and hands its result to {@code onResult} on the UI thread. */
    public <T> void run(Callable<T> work, Consumer<T> onResult) {
        start(work, Duration.ZERO, onResult, null, () -> { });
    }

    /** As {@link #run(Callable, Consumer)}; a refusal goes to {@code onRefused} rather than where failures go. */
    public <T> void run(Callable<T> work, Consumer<T> onResult, Consumer<UserMessage> onRefused) {
        start(work, Duration.ZERO, onResult, onRefused, () -> { });
    }

    /**
     * As {@link #run(Callable, Consumer)}, and the calling (UI) thread first waits up to {@code waitForResult} for the
     * result and applies it at once (decision 0033): a result that arrives a moment after the next frame's pulse was due
     * is otherwise shown a frame later. Longer work goes on in the background as usual and the UI is never held longer
     * than the wait. {@code then} runs on the UI thread afterwards, whether the work succeeded or not, even if applying
     * the result failed: a queue waiting on it must never be left waiting for ever.
     */
    public <T> void runWaiting(Callable<T> work, Duration waitForResult, Consumer<T> onResult, Runnable then) {
        start(work, waitForResult, onResult, null, then);
    }

    private <T> void start(Callable<T> work, Duration waitForResult, Consumer<T> onResult, Consumer<UserMessage> onRefused,
                           Runnable then) {
        setRunning(+1);
        Handoff handoff = new Handoff(waitForResult);
        if (!waitForResult.isZero()) {
            beforeWaiting.run();
        }
        background.execute(() -> {
            Runnable apply;
            try {
                T result = work.call();
                apply = () -> onResult.accept(result);
            } catch (BusinessRuleException e) {
                Consumer<UserMessage> to = onRefused != null ? onRefused : failures;
                apply = () -> to.accept(e.userMessage());
            } catch (Exception e) {
                LOG.error("background task failed", e);
                apply = () -> failures.accept(new UserMessage("counter.error.unexpected"));
            }
            Runnable step = apply;
            if (!handoff.offer(step)) {
                ui.execute(() -> finish(step, then));
            }
        });
        Runnable ready = handoff.await();
        if (ready != null) {
            finish(ready, then);
        }
    }

    private void finish(Runnable step, Runnable then) {
        setRunning(-1);
        try {
            step.run();
            afterResult.run();
        } catch (RuntimeException e) {
            LOG.error("the result of a background task could not be applied", e);
            failures.accept(new UserMessage("counter.error.unexpected"));
        } finally {
            then.run();
        }
    }

    private void setRunning(int delta) {
        running += delta;
        busy.set(running > 0);
    }

    /** A result passed from the background to a UI thread still waiting for it, or else left to the UI executor. */
    private static final class Handoff {
        private final Duration wait;
        private Runnable step;
        /** No step is accepted any more: from the start when there is no wait. */
        private boolean closed;

        Handoff(Duration wait) {
            this.wait = wait;
            closed = wait.isZero();
        }

        /** From the background: false if the UI thread no longer waits (the step must go through the UI executor). */
        synchronized boolean offer(Runnable ready) {
            if (closed) {
                return false;
            }
            step = ready;
            notifyAll();
            return true;
        }

        /** On the UI thread: the step, if it arrived within the wait; after this, no step is accepted. */
        synchronized Runnable await() {
            long deadline = System.nanoTime() + wait.toNanos();
            try {
                for (long left = wait.toNanos(); step == null && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closed = true;
            return step;
        }
    }
}
