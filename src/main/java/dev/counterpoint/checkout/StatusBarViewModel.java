package dev.counterpoint.checkout;

import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.scan.SerialScanSource;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.sync.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The counter's status bar: the store, the serial scanner, the sync with head office and the events waiting for it, who
 * is signed in (and signing them out when the counter is left alone), and closing the day.
 */
public final class StatusBarViewModel {
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter CLOSE_TIME = DateTimeFormatter.ofPattern("HH:mm");
    /** A counter left alone this long signs its cashier out: the next person rings up under their own name. */
    public static final Duration IDLE_SIGN_OUT = Duration.ofMinutes(15);

    private final StaffAccounts staff;
    private final BiFunction<LocalDate, String, CloseDay.Result> closeDay;
    private final LongSupplier pendingEvents;
    private final Clock clock;
    private final BackgroundTasks tasks;
    private final CounterMessages messages;
    /** When the business day was closed at this terminal; read and refreshed on the database thread. */
    private final ClosedDay closedDay = new ClosedDay();

    private final StringProperty storeText = new SimpleStringProperty("");
    private final StringProperty syncText = new SimpleStringProperty("");
    private final BooleanProperty syncWarning = new SimpleBooleanProperty(false);
    private final BooleanProperty syncOnline = new SimpleBooleanProperty(false);
    private final StringProperty scannerText = new SimpleStringProperty("");
    private final BooleanProperty scannerProblem = new SimpleBooleanProperty(false);
    private final StringProperty staffText = new SimpleStringProperty("");
    /** The last automatic backup failed; UI thread only. */
    private boolean backupFailed;
    /** The events waiting for head office, as last shown; UI thread only. */
    private long shownPending;
    /** The last word from the sync scheduler; read and written on the UI thread only. */
    private SyncStatus lastSync;
    /** Who is signed in at the counter: checkouts are theirs. Read and written on the UI thread. */
    private Staff signedIn;
    /** When the signed-in member of staff last did something at the counter. */
    private Instant staffActive;

    /**
     * @param pendingEvents the events not yet pushed to head office; read on the background thread
     * @param closeDay      close of day (Z-report, final sync, receipt) by a manager; null where the window offers none
     */
    StatusBarViewModel(TerminalConfig config, StaffAccounts staff, BiFunction<LocalDate, String, CloseDay.Result> closeDay,
                       LongSupplier pendingEvents, Clock clock, BackgroundTasks tasks, CounterMessages messages) {
        this.staff = staff;
        this.closeDay = closeDay;
        this.pendingEvents = pendingEvents;
        this.clock = clock;
        this.tasks = tasks;
        this.messages = messages;
        storeText.set(messages.text("counter.status.store", config.storeName(), config.storeId(), config.terminalId()));
        syncText.set(messages.text("counter.status.starting"));
        scannerText.set(messages.text("scanner.serial.off"));
        staffText.set(messages.text("counter.staff.none"));
    }

    /** Reads the events waiting for head office; called once the window is up. */
    void start() {
        tasks.run(pendingEvents::getAsLong, this::showPending);
    }

    /** The events waiting for head office, read on the background thread with each action's own reads. */
    long readPending() {
        return pendingEvents.getAsLong();
    }

    // ---- staff -----------------------------------------------------------------------------------

    /** A member of staff signs in at the counter: the checkouts rung up from now on are theirs. */
    public void signIn(String id, String pin) {
        String who = id == null ? "" : id.strip();
        tasks.run(() -> staff.authenticate(who, pin, StaffRole.CASHIER), s -> {
            signedIn = s;
            staffActive = clock.instant();
            staffText.set(messages.text("counter.staff.signedIn", s.name(), s.id()));
            messages.success(new UserMessage("counter.staff.welcome", s.name()));
        });
    }

    public void signOut() {
        signedIn = null;
        staffText.set(messages.text("counter.staff.none"));
        messages.ready();
    }

    /**
     * Signs the cashier out once the counter has been left alone for {@link #IDLE_SIGN_OUT}; the window asks every
     * half minute, and every action asks first. True if this signed someone out.
     */
    public boolean signOutIfIdle() {
        if (signedIn == null || staffActive == null || clock.instant().isBefore(staffActive.plus(IDLE_SIGN_OUT))) {
            return false;
        }
        String name = signedIn.name();
        signedIn = null;
        staffText.set(messages.text("counter.staff.none"));
        messages.info(new UserMessage("counter.staff.signedOutIdle", name, IDLE_SIGN_OUT.toMinutes()));
        return true;
    }

    /** Something was done at the counter: a cashier left idle too long is signed out, or else their idle time restarts. */
    void staffActed() {
        if (!signOutIfIdle() && signedIn != null) {
            staffActive = clock.instant();
        }
    }

    /** Who rings up the sale: null when nobody is signed in, or when the counter was left alone too long. */
    Staff cashier() {
        if (signOutIfIdle() || signedIn == null) {
            return null;
        }
        staffActive = clock.instant();
        return signedIn;
    }

    /** The staff id signed in, or null. */
    public String signedInStaffId() {
        return signedIn == null ? null : signedIn.id();
    }

    // ---- sync, scanner, close of day ---------------------------------------------------------------

    /** The sync scheduler's news, on the UI thread. */
    void syncStatus(SyncStatus status) {
        lastSync = status;
        showPending(status.pending());
    }

    void showPending(long pending) {
        shownPending = pending;
        SyncStatus s = lastSync;
        String line;
        if (s != null && s.online()) {
            line = messages.text("counter.status.online", clockTime(s.lastSync()), pending);
        } else if (s != null && s.lastSync() != null) {
            line = messages.text("counter.status.offlineSince", clockTime(s.lastSync()), pending);
        } else {
            line = messages.text("counter.status.offline", pending);
        }
        boolean skewed = s != null && s.clockSkewed();
        if (skewed) {
            line = messages.text("counter.status.skew", line, s.officeOffsetMs() / 1000);
        }
        long parked = s == null ? 0 : s.parked();
        if (parked > 0) {
            line = messages.text("counter.status.parked", line, parked);
        }
        if (backupFailed) {
            line = messages.text("counter.status.backupFailed", line);
        }
        // Any of these is shown in the warning style: a manager should look.
        syncWarning.set(skewed || parked > 0 || backupFailed);
        syncOnline.set(s != null && s.online());
        syncText.set(line);
    }

    /**
     * How the last automatic backup went (the daily one, the close of day's), on the UI thread: a failure stays on the
     * status bar, in the warning style, until a backup succeeds.
     */
    public void backupDone(boolean succeeded) {
        if (backupFailed != !succeeded) {
            backupFailed = !succeeded;
            showPending(shownPending);
        }
    }

    private String clockTime(Instant at) {
        // Not LocalTime.toString(): it drops the seconds when they are zero ("16:13" beside "16:12:59").
        return CLOCK_TIME.format(at.atZone(clock.getZone()));
    }

    /** How the serial scanner is doing; called on the UI thread. */
    public void showScannerStatus(SerialScanSource.Status status) {
        scannerText.set(status.message().format(messages.bundle()));
        scannerProblem.set(status.state() != SerialScanSource.State.CONNECTED);
    }

    /** Serial scanning is off (no port set up). */
    public void showSerialOff() {
        scannerText.set(messages.text("scanner.serial.off"));
        scannerProblem.set(false);
    }

    /**
     * Close of day (Z-report, final push, pull of head office's decisions, receipt; offline too), if {@code managerId}
     * and {@code pin} are a manager's: checked off the UI thread (the hash is slow on purpose). A day is closed once;
     * closing it again shows that close's figures.
     */
    public void closeDay(String managerId, String pin) {
        if (closeDay == null) {
            return;
        }
        String who = managerId == null ? "" : managerId.strip();
        tasks.run(() -> {
            Staff manager = staff.authenticate(who, pin, StaffRole.MANAGER);
            CloseDay.Result r = closeDay.apply(LocalDate.now(clock), manager.id());
            closedDay.closed(r.report().businessDate(), r.closedAt());
            return new Closed(r, pendingEvents.getAsLong());
        }, closed -> {
            showPending(closed.pending());
            var z = closed.result().report();
            if (closed.result().reprinted()) {
                messages.info(new UserMessage("counter.closeDay.again", z.sales(), Money.format(z.salesFen())));
            } else if (closed.result().confirmed()) {
                messages.success(new UserMessage("counter.closeDay.done", z.sales(), Money.format(z.salesFen()),
                        closed.result().throughSeq()));
            } else {
                messages.info(new UserMessage("counter.closeDay.unconfirmed", z.sales(), Money.format(z.salesFen())));
            }
        });
    }

    private record Closed(CloseDay.Result result, long pending) {
    }

    /** How the counter reads when a day was closed (by date; once per date, and again only after a close). */
    void readClosesWith(java.util.function.Function<LocalDate, Optional<OffsetDateTime>> closedAt) {
        closedDay.readWith(closedAt);
    }

    /**
     * On the database thread: when this terminal closed the business day of {@code at}, if it did before {@code at}
     * (what is done then goes on the next close's report).
     */
    Optional<OffsetDateTime> closedBefore(OffsetDateTime at) {
        return closedDay.closedAt(at.atZoneSameInstant(clock.getZone()).toLocalDate()).filter(at::isAfter);
    }

    /** A close's time as the counter shows it. */
    String closeTime(OffsetDateTime at) {
        return CLOSE_TIME.format(at.atZoneSameInstant(clock.getZone()));
    }

    public java.util.ResourceBundle bundle() { return messages.bundle(); }
    public boolean canCloseDay() { return closeDay != null; }
    /** True while background work is under way: the bar says so when it lasts. */
    public ReadOnlyBooleanProperty busyProperty() { return tasks.busyProperty(); }
    public ReadOnlyStringProperty storeTextProperty() { return storeText; }
    public ReadOnlyStringProperty syncTextProperty() { return syncText; }
    public ReadOnlyBooleanProperty syncWarningProperty() { return syncWarning; }
    /** Whether the last sync reached head office: online and offline look different. */
    public ReadOnlyBooleanProperty syncOnlineProperty() { return syncOnline; }
    public ReadOnlyStringProperty scannerTextProperty() { return scannerText; }
    public ReadOnlyBooleanProperty scannerProblemProperty() { return scannerProblem; }
    public ReadOnlyStringProperty staffTextProperty() { return staffText; }
}
