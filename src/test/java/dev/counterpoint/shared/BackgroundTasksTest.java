package dev.counterpoint.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The helper every view model runs its background work through; the scan's bounded wait is in CounterScanningTest. */
class BackgroundTasksTest {
    private final Deque<Runnable> ui = new ArrayDeque<>();
    private final Deque<Runnable> background = new ArrayDeque<>();
    private final BackgroundTasks tasks = new BackgroundTasks(ui::add, background::add);
    private final List<String> seen = new ArrayList<>();

    BackgroundTasksTest() {
        tasks.reportFailuresTo(m -> seen.add("failure " + m.key()));
        tasks.afterEachResult(() -> seen.add("laid out"));
    }

    @Test
    void workRunsInTheBackgroundAndItsResultIsAppliedOnTheUiThreadWhileBusySaysSo() {
        tasks.run(() -> {
            seen.add("work");
            return 42;
        }, r -> seen.add("result " + r));
        assertThat(seen).isEmpty();
        assertThat(tasks.busyProperty().get()).isTrue();

        background.poll().run();
        assertThat(seen).containsExactly("work");
        assertThat(tasks.busyProperty().get()).as("not applied yet").isTrue();

        ui.poll().run();
        assertThat(seen).containsExactly("work", "result 42", "laid out");
        assertThat(tasks.busyProperty().get()).isFalse();
    }

    @Test
    void aRefusalGoesWhereTheTaskSaysAndAnythingElseIsReportedAsUnexpected() {
        tasks.run(() -> {
            throw new BusinessRuleException("redeem.error.pointsPositive");
        }, r -> seen.add("result"), m -> seen.add("refused " + m.key()));
        tasks.run(() -> {
            throw new BusinessRuleException("counter.search.empty");
        }, r -> seen.add("result"));
        tasks.run(() -> {
            throw new IllegalStateException("the database is gone");
        }, r -> seen.add("result"), m -> seen.add("refused " + m.key()));
        while (!background.isEmpty()) {
            background.poll().run();
        }
        while (!ui.isEmpty()) {
            ui.poll().run();
        }

        assertThat(seen).containsExactly("refused redeem.error.pointsPositive", "laid out",
                "failure counter.search.empty", "laid out",
                "failure counter.error.unexpected", "laid out");
        assertThat(tasks.busyProperty().get()).isFalse();
    }

    @Test
    void aResultThatCannotBeAppliedIsReportedAndWhatFollowsStillRuns() {
        BackgroundTasks now = BackgroundTasks.onCallingThread();
        now.reportFailuresTo(m -> seen.add("failure " + m.key()));
        now.runWaiting(() -> 1, Duration.ZERO, r -> {
            throw new IllegalStateException("a control refused the value");
        }, () -> seen.add("then"));

        assertThat(seen).containsExactly("failure counter.error.unexpected", "then");
        assertThat(now.busyProperty().get()).isFalse();
    }

    @Test
    void newsFromAnotherThreadIsAppliedOnTheUiThread() {
        tasks.deliver(() -> seen.add("news"));
        assertThat(seen).isEmpty();
        ui.poll().run();
        assertThat(seen).containsExactly("news");
    }

    @Test
    void aWaitingTaskAsksForTheNextPulseBeforeTheUiThreadWaitsAndAPlainOneDoesNot() {
        BackgroundTasks now = BackgroundTasks.onCallingThread();
        now.beforeWaiting(() -> seen.add("pulse asked"));
        now.run(() -> seen.add("plain work"), r -> seen.add("plain applied"));
        now.runWaiting(() -> seen.add("work"), Duration.ofMillis(5), r -> seen.add("applied"), () -> seen.add("then"));

        assertThat(seen).containsExactly("plain work", "plain applied", "pulse asked", "work", "applied", "then");
    }
}
