package dev.counterpoint.checkout;

import dev.counterpoint.member.CardRange;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.scan.ScanCheck;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.sync.SyncStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The counter window's state, free of any scene graph: a thin coordinator over one view model per pane, each owning
 * its concern — {@link MemberLookupViewModel} (scan, search, enrol), {@link MemberPanelViewModel} (the member),
 * {@link CheckoutViewModel} (the sale), {@link PaymentsViewModel} (points, stored value, top-ups) and
 * {@link StatusBarViewModel} (store, scanner, sync, staff, close of day) — sharing the message line and one
 * {@link BackgroundTasks}. It routes what one pane does to the others: a scan finds a member, the panel shows them, and
 * the sale being rung up follows the member on the panel.
 */
public final class CounterViewModel {
    private final CounterMessages messages;
    private final BackgroundTasks tasks;
    private final StatusBarViewModel status;
    private final MemberPanelViewModel panel;
    private final PaymentsViewModel payments;
    private final CheckoutViewModel checkout;
    private final MemberLookupViewModel lookup;
    private final StaffAccounts staff;
    private final MemberTagsViewModel tags;
    private final TerminalConfig config;
    private final Clock clock;
    private Consumer<UUID> historyWanted = id -> { };
    /** The void and refund screen last opened, told when a member's records arrive; UI thread only. */
    private RefundViewModel refundScreen;

    /**
     * @param checkouts     the one-transaction checkout the sale (F2) goes through
     * @param pendingEvents the events waiting for head office; read in the background
     * @param tasks         runs every database call off the UI thread (shared with nothing else that reports failures)
     * @param closeDay      close of day (Z-report, final sync, receipt) by a manager; null where the window offers none
     * @param staff         who may sign in at the counter, and the manager that closing the day asks for
     * @param memberTags    the members' custom tags, which a manager sets from the member panel
     */
    public CounterViewModel(MemberService members, MemberSummaryService summaries, CheckoutService checkoutService,
                            Checkouts checkouts, LongSupplier pendingEvents, TerminalConfig config, Locale locale,
                            Clock clock, BackgroundTasks tasks, ScanCheck scanCheck,
                            BiFunction<LocalDate, String, CloseDay.Result> closeDay, StaffAccounts staff,
                            MemberTags memberTags) {
        this.messages = new CounterMessages(locale);
        this.tasks = tasks;
        this.staff = staff;
        this.config = config;
        this.clock = clock;
        tasks.reportFailuresTo(messages::error);
        this.status = new StatusBarViewModel(config, staff, closeDay, pendingEvents, clock, tasks, messages);
        this.panel = new MemberPanelViewModel(summaries, new MemberPanelFormat(locale, clock.getZone(), config.storeId()),
                status, tasks, messages);
        this.tags = new MemberTagsViewModel(memberTags, staff, status, panel, messages);
        this.payments = new PaymentsViewModel(checkoutService, panel, messages);
        this.checkout = new CheckoutViewModel(checkouts, panel, payments, status, messages);
        // A top-up's receipt line takes the sale's place.
        payments.onReceipt(checkout::showReceipt);
        this.lookup = new MemberLookupViewModel(members, summaries, scanCheck, new CardRange(config.cardRange()), panel,
                status, tasks, messages);
        panel.setListener(new MemberPanelViewModel.Listener() {
            @Override
            public void memberChanged(UUID previous, UUID next) {
                checkout.memberChanged(next);
                if (previous != null) {
                    payments.memberChanged();
                }
            }

            @Override
            public void shown(UUID memberId) {
                lookup.memberShown();
                historyWanted.accept(memberId);
            }

            @Override
            public void cleared() {
                checkout.memberCleared();
            }
        });
        messages.ready();
    }

    /**
     * How the counter learns when this terminal closed a business day, so that a sale made after the close says so: read
     * on the database thread, once per date, and kept until the counter closes the day.
     */
    public void readClosesWith(Function<LocalDate, Optional<OffsetDateTime>> closedAt) {
        status.readClosesWith(closedAt);
    }

    /** Reads what the status bar needs; called once the window is up. */
    public void start() {
        start(Optional::empty);
    }

    /**
     * As {@link #start()}, with {@code check} run first on the background thread (before any scan or search, which
     * queue behind it there) and the problem it finds, if any, shown as a warning: work the start left for after the
     * window is shown that a lookup must not overtake, such as reading the rules file.
     */
    public void start(Callable<Optional<UserMessage>> check) {
        tasks.run(check, found -> found.ifPresent(this::warn));
        status.start();
    }

    /** Shows a problem found at start (e.g. a refused rules file) until the next message. */
    public void warn(UserMessage m) {
        messages.error(m);
    }

    /** A scanner read something (wedge or serial, on the UI thread): the lookup pane takes it. */
    public void onScan(ScanEvent scan) {
        lookup.onScan(scan);
    }

    /** The sync scheduler's news, from its own thread: the status bar shows it, and history that came is shown. */
    public void onSyncStatus(SyncStatus news) {
        tasks.deliver(() -> {
            status.syncStatus(news);
            panel.historyArrived(news.historyOf());
            if (refundScreen != null && !refundScreen.isClosed()) {
                refundScreen.historyArrived(news.historyOf());
            }
        });
    }

    /**
     * Told of every member shown, so that a member first seen at this store gets their history from the rest of the
     * chain (the sync scheduler asks head office in the background); {@link #onSyncStatus} refreshes the panel when
     * it has come.
     */
    public void onMemberShown(Consumer<UUID> historyWanted) {
        this.historyWanted = historyWanted;
    }

    /**
     * What the window does on the UI thread each time the result of background work has been applied: the counter
     * window lays its scene out there and then.
     */
    public void afterEachResult(Runnable action) {
        tasks.afterEachResult(action);
    }

    /**
     * How work is put off until the window has shown what was just applied (its next frame): after an action for the
     * member, reading their panel again. At once unless set.
     */
    public void afterNextFrame(Consumer<Runnable> schedule) {
        panel.afterNextFrame(schedule);
    }

    /**
     * The void and refund screen (F6) over this counter: its cashier is the member of staff signed in, so nobody signed
     * in means no screen (the message line says to sign in). Its work runs through {@code screenTasks}, which report on
     * the screen; a void or refund done there is told on the counter's message line too and the member panel follows it.
     */
    public Optional<RefundViewModel> refundScreen(Refunds refunds, BackgroundTasks screenTasks) {
        if (status.cashier() == null) {
            messages.error(new UserMessage("refund.screen.signInFirst"));
            return Optional.empty();
        }
        // A receipt of a member whose records are not here yet asks for them as showing the member would.
        refundScreen = new RefundViewModel(refunds, staff, status, panel, messages, config.storeId(), config.storeName(),
                clock.getZone(), screenTasks, id -> historyWanted.accept(id), checkout::takenBack);
        return Optional.of(refundScreen);
    }

    /**
     * Esc: a large sale or top-up waiting for its second Enter is not made, and the member and amount stay to be
     * corrected; otherwise back to the empty counter.
     */
    public void escape() {
        boolean sale = checkout.cancelConfirmation();
        boolean topUp = payments.cancelConfirmation();
        if (sale || topUp) {
            messages.info(new UserMessage("counter.confirmLarge.cancelled"));
            return;
        }
        clear();
    }

    /** Back to the empty counter. */
    public void clear() {
        panel.clear();
        lookup.clear();
        messages.ready();
    }

    public ResourceBundle bundle() { return messages.bundle(); }
    public CounterMessages messages() { return messages; }
    public MemberLookupViewModel lookup() { return lookup; }
    public MemberPanelViewModel memberPanel() { return panel; }
    public MemberTagsViewModel memberTags() { return tags; }
    public CheckoutViewModel checkout() { return checkout; }
    public PaymentsViewModel payments() { return payments; }
    public StatusBarViewModel statusBar() { return status; }
}
