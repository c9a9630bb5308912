package dev.counterpoint.office.reminder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The office's daily run: once a minute it looks at the clock, and from {@code time} (business zone) on it runs the
 * day's reminders once, unless the quiet hours have begun. What was done is in the database (a finished scheduled run
 * for the day; every message claimed before it was sent), so a restart neither runs the day again nor sends a message
 * twice, and an office that was down at {@code time} runs when it is back, the same day. A run that fails is tried
 * again after {@link #AFTER_FAILURE}. Closing stops a run at the member it is on (its message's outcome recorded), left
 * unfinished so the next start runs the day again.
 */
public final class ReminderSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReminderSchedule.class);
    static final Duration AFTER_FAILURE = Duration.ofMinutes(15);
    /** How long closing waits for the message being sent: one HTTP try's timeout and a little. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final Reminders reminders;
    private final ReminderChannel channel;
    private final LocalTime time;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reminders");
        t.setDaemon(true);
        return t;
    });
    private Instant notBefore = Instant.MIN;

    public ReminderSchedule(Reminders reminders, ReminderChannel channel, LocalTime time, Clock clock) {
        this.reminders = reminders;
        this.channel = channel;
        this.time = time;
        this.clock = clock;
    }

    public void start() {
        LOG.info("reminders run daily from {} ({}) on {}", time, reminders.zone(), channel.shown());
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                notBefore = clock.instant().plus(AFTER_FAILURE);
                LOG.warn("the daily reminders failed; tried again in {} min", AFTER_FAILURE.toMinutes(), e);
            }
        }, 0, 1, TimeUnit.MINUTES);
    }

    /** One look at the clock: the day's run if it is due now, else nothing. */
    public Optional<Summary> tick() {
        if (clock.instant().isBefore(notBefore)) {
            return Optional.empty();
        }
        ZonedDateTime now = reminders.now();
        if (now.toLocalTime().isBefore(time) || reminders.settings().quietHours().contains(now.toLocalTime())
                || reminders.scheduledRunFinished(now.toLocalDate())) {
            return Optional.empty();
        }
        return Optional.of(reminders.run(now.toLocalDate(), channel, true));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // The database closes after this: a run still recording its message must get to the end of it.
            if (!timer.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("the daily reminders did not stop within {} s", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
