package dev.counterpoint.checkout;

import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.coupon.SuggestionText;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.EnrolmentConsent;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberCard;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.scan.ScanCheck;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.scan.SerialScanSource;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.sync.SyncStatus;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counter window's state and actions, free of any scene graph.
 *
 * <p>Every database call runs on the background executor; its result is applied on the UI executor.
 * One round trip per action: the action, then the member panel and the pending-event count, read
 * in the same background task. Refusals ({@link BusinessRuleException}) become localised messages.
 */
public final class CounterViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(CounterViewModel.class);
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** A value this store does not hold (a balance kept at the member's stores): the message bar says why. */
    static final String NOT_HERE = "—";

    public enum MessageKind { INFO, SUCCESS, ERROR }

    /** A suggested coupon as shown: what it is and why it is offered. */
    public record SuggestionRow(String title, String reason, Suggestion suggestion) {
    }

    /** One purchase of the last 90 days. */
    public record PurchaseRow(String date, String receiptNo, String items, String amount) {
    }

    /** One match of a manual search. */
    public record MemberRow(UUID id, String name, String phone, String cardCode) {
    }

    /** One line of the sale being entered. */
    public record LineRow(String sku, String category, int qty, long amountFen, String text) {
    }

    /** Scans waiting while a lookup runs; more than this many waiting means something is wrong. */
    public static final int SCAN_QUEUE_CAPACITY = 32;
    /**
     * How long a scan holds the UI thread for its lookup (which takes 1–3 ms) so that its member shows in the next
     * frame: half a frame at 60 Hz, so the UI never misses more than one pulse for it.
     */
    static final Duration SCAN_RESULT_WAIT = Duration.ofMillis(8);

    private final MemberService members;
    private final MemberSummaryService summaries;
    private final ScanCheck scanCheck;
    private final CheckoutService checkout;
    private final LongSupplier pendingEvents;
    private final ResourceBundle bundle;
    private final Clock clock;
    private final Executor ui;
    private final Executor background;
    private final NumberFormat integers;

    private final StringProperty lastScan = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final ObjectProperty<MessageKind> messageKind = new SimpleObjectProperty<>(MessageKind.INFO);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private int running;

    private final BooleanProperty memberShown = new SimpleBooleanProperty(false);
    private final ObjectProperty<UUID> memberId = new SimpleObjectProperty<>();
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty phone = new SimpleStringProperty("");
    private final StringProperty cardCode = new SimpleStringProperty("");
    private final ObjectProperty<Tier> tier = new SimpleObjectProperty<>();
    private final StringProperty tierText = new SimpleStringProperty("");
    private final StringProperty points = new SimpleStringProperty("");
    private final StringProperty storedValue = new SimpleStringProperty("");
    private final StringProperty lastVisit = new SimpleStringProperty("");
    private final StringProperty tierProgress = new SimpleStringProperty("");
    private final StringProperty pointsExpiring = new SimpleStringProperty("");
    private final ObservableList<String> tags = FXCollections.observableArrayList();
    // One read-only view per list, kept for good: such views listen weakly to their list, so a fresh one
    // per call could be collected together with the listeners the view put on it.
    private final ObservableList<String> tagsView = FXCollections.unmodifiableObservableList(tags);
    private final ObservableList<PurchaseRow> purchases = FXCollections.observableArrayList();
    private final ObservableList<PurchaseRow> purchasesView = FXCollections.unmodifiableObservableList(purchases);
    private final ObservableList<String> favourites = FXCollections.observableArrayList();
    private final ObservableList<String> favouritesView = FXCollections.unmodifiableObservableList(favourites);
    private final ObservableList<SuggestionRow> suggestions = FXCollections.observableArrayList();
    private final ObservableList<SuggestionRow> suggestionsView = FXCollections.unmodifiableObservableList(suggestions);

    private final StringProperty searchQuery = new SimpleStringProperty("");
    private final ObservableList<MemberRow> searchResults = FXCollections.observableArrayList();
    private final ObservableList<MemberRow> searchResultsView = FXCollections.unmodifiableObservableList(searchResults);
    private final BooleanProperty searchResultsShown = new SimpleBooleanProperty(false);

    private final StringProperty saleAmount = new SimpleStringProperty("");
    private final StringProperty lineSku = new SimpleStringProperty("");
    private final StringProperty lineCategory = new SimpleStringProperty("");
    private final StringProperty lineQty = new SimpleStringProperty("1");
    private final StringProperty lineAmount = new SimpleStringProperty("");
    private final ObservableList<LineRow> lines = FXCollections.observableArrayList();
    private final ObservableList<LineRow> linesView = FXCollections.unmodifiableObservableList(lines);
    private final StringProperty receipt = new SimpleStringProperty("");
    private final StringProperty pointsToRedeem = new SimpleStringProperty("");
    private final StringProperty storedValueToPay = new SimpleStringProperty("");
    private final StringProperty storedValueToTopUp = new SimpleStringProperty("");

    private final BooleanProperty enrolShown = new SimpleBooleanProperty(false);
    private final StringProperty enrolName = new SimpleStringProperty("");
    private final StringProperty enrolPhone = new SimpleStringProperty("");
    private final StringProperty enrolBirthday = new SimpleStringProperty("");
    /** The privacy notice read and accepted: required to enrol. Marketing is asked per channel and may be declined. */
    private final BooleanProperty enrolPrivacyNotice = new SimpleBooleanProperty(false);
    private final BooleanProperty enrolMarketingSms = new SimpleBooleanProperty(false);
    private final BooleanProperty enrolMarketingWechat = new SimpleBooleanProperty(false);

    private final StringProperty storeText = new SimpleStringProperty("");
    private final StringProperty syncText = new SimpleStringProperty("");
    private final StringProperty scannerText = new SimpleStringProperty("");
    private final BooleanProperty scannerProblem = new SimpleBooleanProperty(false);

    /** Scans that arrived while a lookup was running, oldest first; touched on the UI executor only. */
    private final Deque<ScanEvent> pendingScans = new ArrayDeque<>();
    private boolean scanInFlight;
    private final ObjectProperty<MemberCard> cardRequest = new SimpleObjectProperty<>();

    private final BooleanProperty syncWarning = new SimpleBooleanProperty(false);
    private final BooleanProperty syncOnline = new SimpleBooleanProperty(false);
    /** The last word from the sync scheduler; read and written on the UI thread only. */
    private SyncStatus lastSync;
    private final BiFunction<LocalDate, String, CloseDay.Result> closeDay;
    private final StaffAccounts staff;
    private final Checkouts checkouts;
    /** Who is signed in at the counter: checkouts are theirs. Read and written on the UI thread. */
    private Staff signedIn;
    /** When the signed-in member of staff last did something at the counter. */
    private java.time.Instant staffActive;
    /** A counter left alone this long signs its cashier out: the next person rings up under their own name. */
    static final java.time.Duration IDLE_SIGN_OUT = java.time.Duration.ofMinutes(15);
    private final StringProperty staffText = new SimpleStringProperty("");
    /** The coupon chosen for the sale being rung up (F1 or Enter on a suggestion); null: none. */
    private final ObjectProperty<SuggestionRow> chosenCoupon = new SimpleObjectProperty<>();
    private final String storeId;
    private Runnable afterResult = () -> { };
    private Consumer<UUID> historyWanted = id -> { };
    private Consumer<CheckoutReceipt> checkedOut = r -> { };

    /**
     * @param checkouts the one-transaction checkout the sale (F2) goes through
     * @param staff     who may sign in at the counter, and the manager that closing the day asks for
     * @param closeDay  close of day (Z-report, final sync, receipt) by a manager; null where the window offers none
     */
    public CounterViewModel(MemberService members, MemberSummaryService summaries, CheckoutService checkout,
                            Checkouts checkouts, LongSupplier pendingEvents, TerminalConfig config, Locale locale,
                            Clock clock, Executor ui, Executor background, ScanCheck scanCheck,
                            BiFunction<LocalDate, String, CloseDay.Result> closeDay, StaffAccounts staff) {
        this.closeDay = closeDay;
        this.staff = staff;
        this.checkouts = checkouts;
        this.members = members;
        this.summaries = summaries;
        this.scanCheck = scanCheck;
        this.checkout = checkout;
        this.pendingEvents = pendingEvents;
        this.bundle = Messages.bundle(locale);
        this.clock = clock;
        this.ui = ui;
        this.background = background;
        this.integers = NumberFormat.getIntegerInstance(locale);
        this.storeId = config.storeId();
        storeText.set(text("counter.status.store", config.storeName(), config.storeId(), config.terminalId()));
        syncText.set(text("counter.status.starting"));
        scannerText.set(text("scanner.serial.off"));
        staffText.set(text("counter.staff.none"));
        info(new UserMessage("counter.message.ready"));
    }

    // ---- staff -----------------------------------------------------------------------------------

    /** A member of staff signs in at the counter: the checkouts rung up from now on are theirs. */
    public void signIn(String id, String pin) {
        String who = id == null ? "" : id.strip();
        submit(() -> staff.authenticate(who, pin, StaffRole.CASHIER), s -> {
            signedIn = s;
            staffActive = clock.instant();
            staffText.set(text("counter.staff.signedIn", s.name(), s.id()));
            success(new UserMessage("counter.staff.welcome", s.name()));
        });
    }

    public void signOut() {
        signedIn = null;
        staffText.set(text("counter.staff.none"));
        info(new UserMessage("counter.message.ready"));
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
        staffText.set(text("counter.staff.none"));
        info(new UserMessage("counter.staff.signedOutIdle", name, IDLE_SIGN_OUT.toMinutes()));
        return true;
    }

    /** The signed-in member of staff is at the counter: the idle time starts again. */
    private void staffActed() {
        if (signedIn != null) {
            staffActive = clock.instant();
        }
    }

    /**
     * What the window does on the UI thread each time the result of background work has been applied (after the
     * properties and lists have changed): the counter window lays its scene out there and then.
     */
    public void afterEachResult(Runnable action) {
        afterResult = action;
    }

    /**
     * Told of every member shown, so that a member first seen at this store gets their history from the rest of the
     * chain (the sync scheduler asks head office in the background); {@link #onSyncStatus} refreshes the panel when
     * it has come.
     */
    public void onMemberShown(Consumer<UUID> historyWanted) {
        this.historyWanted = historyWanted;
    }

    /** Told of each checkout once it is committed (on the UI thread): the window prints and shows its receipt. */
    public void onCheckout(Consumer<CheckoutReceipt> listener) {
        this.checkedOut = listener;
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
        submit(check, found -> found.ifPresent(this::warn));
        submit(pendingEvents::getAsLong, this::showPending);
    }

    /** Shows a problem found at start (e.g. a refused rules file) until the next message. */
    public void warn(UserMessage m) {
        error(m);
    }

    // ---- scanning and lookup -------------------------------------------------------------------

    /**
     * A scanner read something (wedge or serial, on the UI executor). It is validated first: garbage,
     * a bad check digit or an expired or forged member QR is refused here and never looked up. Reads
     * arriving while a lookup runs wait their turn, in order, in a bounded queue.
     */
    public void onScan(ScanEvent scan) {
        if (!signOutIfIdle()) {
            staffActed();
        }
        if (scanInFlight) {
            if (pendingScans.size() >= SCAN_QUEUE_CAPACITY) {
                LOG.warn("scan queue full ({}); dropped a {} read", SCAN_QUEUE_CAPACITY, scan.source());
                error(new UserMessage("scan.error.queueFull"));
            } else {
                pendingScans.addLast(scan);
            }
            return;
        }
        ScanCheck.Outcome outcome = scanCheck.check(scan.code());
        if (outcome instanceof ScanCheck.Refused refused) {
            error(refused.reason());
            nextScan();
            return;
        }
        // A read that breaks the barcode rules is still a legacy card if one has exactly this number; if not,
        // the misread is explained and no enrolment is offered for it.
        UserMessage ifUnknown = outcome instanceof ScanCheck.LookupIfKnown doubtful ? doubtful.ifUnknown() : null;
        String code = outcome instanceof ScanCheck.LookupIfKnown doubtful ? doubtful.code() : ((ScanCheck.Lookup) outcome).code();
        lastScan.set(code);
        scanInFlight = true;
        submit(() -> {
            Optional<MemberSummary> summary = summaries.byCode(code);
            return new Loaded(summary, summary.isEmpty() && members.erasedCard(code).isPresent(), pendingEvents.getAsLong());
        }, SCAN_RESULT_WAIT, loaded -> {
            showPending(loaded.pending());
            if (loaded.summary().isPresent()) {
                show(loaded.summary().get());
                info(found(loaded.summary().get()));
            } else if (loaded.erased()) {
                // An erased card is known, but nothing of its member is left: no enrolment is offered for it either.
                clearMember();
                error(new UserMessage("counter.erased", code));
            } else if (ifUnknown != null) {
                error(ifUnknown);
            } else {
                clearMember();
                openEnrolment("", "");
                error(new UserMessage("lookup.notFound", code));
            }
        }, () -> {
            scanInFlight = false;
            nextScan();
        });
    }

    private void nextScan() {
        ScanEvent next = pendingScans.pollFirst();
        if (next != null) {
            onScan(next);
        }
    }

    /** How the serial scanner is doing, for the status bar; called on the UI executor. */
    public void showScannerStatus(SerialScanSource.Status status) {
        scannerText.set(status.message().format(bundle));
        scannerProblem.set(status.state() != SerialScanSource.State.CONNECTED);
    }

    /** Serial scanning is off (no port set up). */
    public void showSerialOff() {
        scannerText.set(text("scanner.serial.off"));
        scannerProblem.set(false);
    }

    /** Asks for the shown member's QR card (the window opens it). */
    public void showCard() {
        if (memberId.get() == null) {
            error(new UserMessage("counter.error.noMember"));
            return;
        }
        cardRequest.set(new MemberCard(name.get(), cardCode.get()));
    }

    /** Manual lookup: card code, phone, last four digits or the start of a name. */
    public void search() {
        String q = searchQuery.get() == null ? "" : searchQuery.get().strip();
        if (q.isEmpty()) {
            error(new UserMessage("counter.search.empty"));
            return;
        }
        submit(() -> {
            List<Member> found = members.search(q);
            Optional<MemberSummary> only = found.size() == 1 ? summaries.byId(found.get(0).id()) : Optional.empty();
            return new Searched(found, only, pendingEvents.getAsLong());
        }, result -> {
            showPending(result.pending());
            searchResults.clear();
            searchResultsShown.set(false);
            if (result.only().isPresent()) {
                searchQuery.set("");
                show(result.only().get());
                info(found(result.only().get()));
            } else if (result.found().isEmpty()) {
                clearMember();
                boolean phoneLike = Phones.normalise(q).isPresent();
                openEnrolment(phoneLike || q.matches("[\\d\\s+-]+") ? "" : q, phoneLike ? q : "");
                error(new UserMessage("counter.search.none", q));
            } else {
                clearMember();
                result.found().forEach(m -> searchResults.add(new MemberRow(m.id(), m.displayName(),
                        m.phoneMasked() == null ? "" : m.phoneMasked(), m.cardCode())));
                searchResultsShown.set(true);
                info(new UserMessage("counter.search.several", result.found().size()));
            }
        });
    }

    public void pick(MemberRow row) {
        if (row == null) {
            return;
        }
        submit(() -> new Loaded(summaries.byId(row.id()), pendingEvents.getAsLong()), loaded -> {
            showPending(loaded.pending());
            searchResults.clear();
            searchResultsShown.set(false);
            searchQuery.set("");
            loaded.summary().ifPresentOrElse(s -> {
                show(s);
                info(found(s));
            }, () -> error(new UserMessage("member.error.unknown")));
        });
    }

    /** Back to the empty counter (Esc). */
    public void clear() {
        clearMember();
        searchResults.clear();
        searchResultsShown.set(false);
        enrolShown.set(false);
        info(new UserMessage("counter.message.ready"));
    }

    // ---- enrolment -----------------------------------------------------------------------------

    public void enrol() {
        LocalDate birthday;
        String b = enrolBirthday.get() == null ? "" : enrolBirthday.get().strip();
        try {
            birthday = b.isEmpty() ? null : LocalDate.parse(b);
        } catch (DateTimeParseException e) {
            error(new UserMessage("counter.enrol.birthdayFormat", b));
            return;
        }
        if (!enrolPrivacyNotice.get()) {
            error(new UserMessage("counter.enrol.privacyRequired"));
            return;
        }
        String n = enrolName.get();
        String p = enrolPhone.get();
        EnrolmentConsent consent = new EnrolmentConsent(true, enrolMarketingSms.get(), enrolMarketingWechat.get());
        submit(() -> {
            Member m = members.enrol(n, p, birthday, consent);
            return new Loaded(summaries.byId(m.id()), pendingEvents.getAsLong());
        }, loaded -> {
            showPending(loaded.pending());
            loaded.summary().ifPresent(s -> {
                enrolShown.set(false);
                enrolName.set("");
                enrolPhone.set("");
                enrolBirthday.set("");
                clearConsent();
                show(s);
                success(new UserMessage("counter.enrol.done", s.member().displayName(), s.member().cardCode()));
                cardRequest.set(new MemberCard(s.member().displayName(), s.member().cardCode()));
            });
        });
    }

    public void cancelEnrolment() {
        enrolShown.set(false);
        info(new UserMessage("counter.message.ready"));
    }

    // ---- sale ----------------------------------------------------------------------------------

    /** Adds a line to the sale; the amount field then shows the lines' total. */
    public void addLine() {
        Optional<Long> amount = Money.parseYuan(lineAmount.get());
        if (amount.isEmpty()) {
            error(new UserMessage("counter.error.amountInvalid", nullToEmpty(lineAmount.get())));
            return;
        }
        int qty;
        try {
            qty = Integer.parseInt(nullToEmpty(lineQty.get()).strip());
        } catch (NumberFormatException e) {
            qty = 0;
        }
        if (qty <= 0) {
            error(new UserMessage("counter.error.qtyInvalid", nullToEmpty(lineQty.get())));
            return;
        }
        String sku = blankToNull(lineSku.get());
        String category = blankToNull(lineCategory.get());
        String label = sku != null && category != null ? sku + " · " + category
                : sku != null ? sku : category != null ? category : text("counter.purchase.plain");
        String lineText = text("counter.line", label, qty, Money.format(amount.get()));
        lines.add(new LineRow(sku, category, qty, amount.get(), lineText));
        lineSku.set("");
        lineCategory.set("");
        lineQty.set("1");
        lineAmount.set("");
        saleAmount.set(yuan(linesTotal()));
    }

    public void removeLine(LineRow line) {
        if (line != null && lines.remove(line)) {
            saleAmount.set(lines.isEmpty() ? "" : yuan(linesTotal()));
        }
    }

    /**
     * Completes the sale as one checkout (F2): the amount or lines, the coupon chosen for it (F1 / Enter), the points and
     * stored value typed in, the rest paid otherwise; one receipt, and points earned on what is left after the coupon
     * and the points.
     */
    public void recordSale() {
        UUID id = memberId.get();
        if (id == null) {
            error(new UserMessage("counter.error.noMember"));
            return;
        }
        if (signOutIfIdle() || signedIn == null) {
            error(new UserMessage("counter.error.signIn"));
            return;
        }
        staffActed();
        Long amount = null;
        String a = nullToEmpty(saleAmount.get()).strip();
        if (!a.isEmpty()) {
            Optional<Long> parsed = Money.parseYuan(a);
            if (parsed.isEmpty()) {
                error(new UserMessage("counter.error.amountInvalid", a));
                return;
            }
            amount = parsed.get();
        }
        Optional<Long> pts = pointsChosen();
        Optional<Long> sv = storedValueChosen();
        if (pts.isEmpty() || sv.isEmpty()) {
            return;
        }
        Long amountFen = amount;
        List<PurchaseLine> saleLines = lines.stream()
                .map(l -> new PurchaseLine(l.sku(), l.category(), l.qty(), l.amountFen())).toList();
        SuggestionRow chosen = chosenCoupon.get();
        CheckoutRequest.CouponChoice coupon = chosen == null ? CheckoutRequest.CouponChoice.NONE
                : new CheckoutRequest.CouponChoice.Id(chosen.suggestion().couponId());
        Staff cashier = signedIn;
        java.util.concurrent.atomic.AtomicReference<CheckoutReceipt> made = new java.util.concurrent.atomic.AtomicReference<>();
        act(id, () -> {
            CheckoutReceipt r = checkouts.complete(new CheckoutRequest(id, amountFen, saleLines, coupon, pts.get(), sv.get()),
                    cashier);
            made.set(r);
            UserMessage line = new UserMessage("counter.checkout.done", r.receiptNo(), Money.format(r.grossFen()),
                    Money.format(r.discountFen()), Money.format(r.pointsValueFen()), Money.format(r.storedValueFen()),
                    Money.format(r.payableFen()), r.pointsEarned());
            return r.upgraded()
                    ? new UserMessage("counter.checkout.doneUpgrade", line.format(bundle), text(r.tierAfter().messageKey()))
                    : line;
        }, done -> {
            receipt.set(done.format(bundle));
            saleAmount.set("");
            lines.clear();
            pointsToRedeem.set("");
            storedValueToPay.set("");
            chosenCoupon.set(null);
            checkedOut.accept(made.get());
        });
    }

    /** The points typed in for this sale (0 when none); empty, with the reason shown, when not a whole number. */
    private Optional<Long> pointsChosen() {
        String p = nullToEmpty(pointsToRedeem.get()).strip();
        if (p.isEmpty()) {
            return Optional.of(0L);
        }
        try {
            long n = Long.parseLong(p);
            if (n <= 0) {
                error(new UserMessage("redeem.error.pointsPositive"));
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            error(new UserMessage("counter.error.pointsInvalid", p));
            return Optional.empty();
        }
    }

    /** The stored value typed in for this sale (0 when none); empty, with the reason shown, when not an amount. */
    private Optional<Long> storedValueChosen() {
        String a = nullToEmpty(storedValueToPay.get()).strip();
        if (a.isEmpty()) {
            return Optional.of(0L);
        }
        Optional<Long> fen = Money.parseYuan(a);
        if (fen.isEmpty()) {
            error(new UserMessage("counter.error.amountInvalid", a));
        }
        return fen;
    }

    // ---- what the sale uses: coupon, points, stored value -----------------------------------------

    /** F1: the top suggestion is used for this sale (a coupon is chosen; expiring points are put in the points field). */
    public void redeemTop() {
        if (suggestions.isEmpty()) {
            error(new UserMessage(memberId.get() == null ? "counter.error.noMember" : "counter.redeem.none"));
            return;
        }
        redeem(suggestions.get(0));
    }

    /**
     * Chooses a suggestion for this sale: nothing is written until the sale is completed (F2), so the coupon takes its
     * discount off this sale's basket and the points are earned on what is left. A coupon the basket cannot take (below
     * its minimum spend, without its category) is refused now, as the checkout would refuse it.
     */
    public void redeem(SuggestionRow row) {
        UUID id = memberId.get();
        if (id == null || row == null) {
            error(new UserMessage("counter.error.noMember"));
            return;
        }
        Suggestion sg = row.suggestion();
        if (sg.isPoints()) {
            pointsToRedeem.set(Long.toString(sg.points()));
            info(new UserMessage("counter.choose.points", sg.points(), Money.format(sg.valueFen())));
            return;
        }
        String a = nullToEmpty(saleAmount.get()).strip();
        Optional<Long> basket = a.isEmpty() ? Optional.empty() : Money.parseYuan(a);
        if (!a.isEmpty() && basket.isEmpty()) {
            error(new UserMessage("counter.error.amountInvalid", a));
            return;
        }
        var t = sg.template();
        if (t.needsBasket() && basket.isEmpty()) {
            error(t.minSpendFen() > 0
                    ? new UserMessage("redeem.error.basketRequired", Money.format(t.minSpendFen()))
                    : new UserMessage("redeem.error.basketRequiredPercent"));
            return;
        }
        if (basket.isPresent() && basket.get() < t.minSpendFen()) {
            error(new UserMessage("redeem.error.minSpend", Money.format(t.minSpendFen()), Money.format(basket.get())));
            return;
        }
        Set<String> categories = lines.isEmpty() ? null
                : lines.stream().map(LineRow::category).filter(c -> c != null).collect(Collectors.toUnmodifiableSet());
        if (t.category() != null && (categories == null || !categories.contains(t.category()))) {
            error(new UserMessage("redeem.error.category", t.category()));
            return;
        }
        chosenCoupon.set(row);
        info(basket.isPresent()
                ? new UserMessage("counter.choose.coupon", row.title(), Money.format(t.discountFor(basket.get())))
                : new UserMessage("counter.choose.couponNoBasket", row.title()));
    }

    /** The points typed in are for this sale: checked here, spent when the sale is completed (F2). */
    public void redeemPoints() {
        if (memberId.get() == null) {
            error(new UserMessage("counter.error.noMember"));
            return;
        }
        pointsChosen().filter(n -> n > 0).ifPresent(n -> info(new UserMessage("counter.choose.pointsTyped", n)));
    }

    /** The stored value typed in is for this sale: checked here, paid when the sale is completed (F2). */
    public void payWithStoredValue() {
        if (memberId.get() == null) {
            error(new UserMessage("counter.error.noMember"));
            return;
        }
        storedValueChosen().filter(n -> n > 0)
                .ifPresent(n -> info(new UserMessage("counter.choose.storedValue", Money.format(n))));
    }

    /** Stored-value top-up; the rules' bonus, if any, is added and shown on the receipt line. */
    public void topUp() {
        UUID id = memberId.get();
        if (id == null) {
            error(new UserMessage("counter.error.noMember"));
            return;
        }
        String a = nullToEmpty(storedValueToTopUp.get()).strip();
        Optional<Long> fen = Money.parseYuan(a);
        if (fen.isEmpty()) {
            error(new UserMessage("counter.error.amountInvalid", a));
            return;
        }
        act(id, () -> {
            CheckoutService.TopUp t = checkout.topUp(id, fen.get());
            String after = t.balanceAfterFen() != null ? Money.format(t.balanceAfterFen()) : NOT_HERE;
            return t.bonusFen() > 0
                    ? new UserMessage("counter.topUp.doneBonus", Money.format(t.amountFen()), Money.format(t.bonusFen()), after)
                    : new UserMessage("counter.topUp.done", Money.format(t.amountFen()), after);
        }, done -> {
            storedValueToTopUp.set("");
            receipt.set(done.format(bundle));
        });
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private record Loaded(Optional<MemberSummary> summary, boolean erased, long pending) {
        Loaded(Optional<MemberSummary> summary, long pending) {
            this(summary, false, pending);
        }
    }

    private record Searched(List<Member> found, Optional<MemberSummary> only, long pending) {
    }

    private record Acted(UserMessage outcome, boolean done, Optional<MemberSummary> summary, long pending) {
    }

    /**
     * Runs a business action for the member, then (refused or not) re-reads their panel, so what the
     * cashier sees is what the database holds. {@code onDone} runs only when the action succeeded.
     */
    private void act(UUID id, Callable<UserMessage> action, Consumer<UserMessage> onDone) {
        submit(() -> {
            UserMessage outcome;
            boolean done;
            try {
                outcome = action.call();
                done = true;
            } catch (BusinessRuleException e) {
                outcome = e.userMessage();
                done = false;
            }
            return new Acted(outcome, done, summaries.byId(id), pendingEvents.getAsLong());
        }, acted -> {
            showPending(acted.pending());
            if (id.equals(memberId.get())) {
                acted.summary().ifPresentOrElse(this::show, this::clearMember);
            }
            if (acted.done()) {
                // The last receipt line names a balance this action may have changed: a sale or top-up writes its own.
                receipt.set("");
                onDone.accept(acted.outcome());
                success(acted.outcome());
            } else {
                error(acted.outcome());
            }
        });
    }

    /** Runs {@code work} on the background executor and hands its result to {@code onResult} on the UI executor. */
    private <T> void submit(Callable<T> work, Consumer<T> onResult) {
        submit(work, Duration.ZERO, onResult, () -> { });
    }

    /**
     * As above, and the calling (UI) thread first waits up to {@code waitForResult} (zero: not at all) for the result
     * and applies it at once. A result that arrives a moment after the next frame's pulse was due is otherwise shown only a frame
     * later; waiting a few milliseconds holds that pulse back until the result is in, so a scan's member appears in
     * the very next frame. Longer work goes on in the background as usual, and the UI is never held longer than
     * the wait. {@code then} runs on the UI thread afterwards, whether the work succeeded or not, even if showing
     * the result fails, or one failure would leave the scan queue waiting for ever.
     */
    private <T> void submit(Callable<T> work, Duration waitForResult, Consumer<T> onResult, Runnable then) {
        setRunning(+1);
        Handoff handoff = new Handoff(waitForResult);
        background.execute(() -> {
            Runnable show;
            try {
                T result = work.call();
                show = () -> onResult.accept(result);
            } catch (BusinessRuleException e) {
                show = () -> error(e.userMessage());
            } catch (Exception e) {
                LOG.error("counter action failed", e);
                show = () -> error(new UserMessage("counter.error.unexpected"));
            }
            Runnable step = show;
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
            LOG.error("counter could not show the result of an action", e);
            error(new UserMessage("counter.error.unexpected"));
        } finally {
            then.run();
        }
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

    private void setRunning(int delta) {
        running += delta;
        busy.set(running > 0);
    }

    private void show(MemberSummary s) {
        Member m = s.member();
        if (!m.id().equals(memberId.get())) {
            chosenCoupon.set(null);
        }
        enrolShown.set(false);
        searchResultsShown.set(false);
        memberId.set(m.id());
        name.set(m.displayName());
        phone.set(m.phoneMasked() == null ? "—" : m.phoneMasked());
        cardCode.set(m.cardCode());
        tier.set(m.tier());
        tierText.set(text(m.tier().messageKey()));
        // Not held here: only this store's part of the balances is, and that is not the member's balance.
        points.set(s.chainHeld() ? integers.format(s.points()) : NOT_HERE);
        storedValue.set(s.chainHeld() ? Money.format(s.storedValueFen()) : NOT_HERE);
        lastVisit.set(s.lastVisit().map(d -> text("counter.lastVisit", d.toString()))
                .orElse(text("counter.lastVisit.never")));
        tags.setAll(s.tags().stream().map(t -> text(t.messageKey())).toList());
        tierProgress.set(s.chainHeld() ? tierProgressText(s.tierProgress()) : "");
        pointsExpiring.set(s.pointsExpiring().filter(e -> s.chainHeld())
                .map(e -> text("counter.pointsExpiring", e.points(), e.expiresOn().toString()))
                .orElse(""));
        List<PurchaseRow> rows = new ArrayList<>();
        for (Purchase p : s.recentPurchases()) {
            // A receipt number names its store; a purchase without one (imported) made elsewhere shows the store.
            String where = p.receiptNo() != null ? p.receiptNo() : p.storeId().equals(storeId) ? "" : p.storeId();
            rows.add(new PurchaseRow(p.purchasedAt().atZoneSameInstant(clock.getZone()).toLocalDate().toString(),
                    where, itemsText(p), Money.format(p.totalFen())));
        }
        purchases.setAll(rows);
        favourites.setAll(s.favourites().stream().map(this::favouriteText).toList());
        suggestions.setAll(s.suggestions().stream().map(sg -> new SuggestionRow(suggestionTitle(sg),
                SuggestionText.reasonText(sg, bundle), sg)).toList());
        memberShown.set(true);
        historyWanted.accept(m.id());
    }

    /** "Member found", saying so when their records from the rest of the chain are not here yet. */
    private static UserMessage found(MemberSummary s) {
        return new UserMessage(s.chainHeld() ? "counter.message.found" : "counter.message.foundNotHeld",
                s.member().displayName());
    }

    private void clearMember() {
        chosenCoupon.set(null);
        memberShown.set(false);
        memberId.set(null);
        name.set("");
        phone.set("");
        cardCode.set("");
        tier.set(null);
        tierText.set("");
        points.set("");
        storedValue.set("");
        lastVisit.set("");
        tierProgress.set("");
        pointsExpiring.set("");
        tags.clear();
        purchases.clear();
        favourites.clear();
        suggestions.clear();
        receipt.set("");
    }

    private void openEnrolment(String nameGuess, String phoneGuess) {
        enrolName.set(nameGuess);
        enrolPhone.set(phoneGuess);
        enrolBirthday.set("");
        clearConsent();
        enrolShown.set(true);
    }

    /** Each enrolment asks afresh: nothing is ticked for the member. */
    private void clearConsent() {
        enrolPrivacyNotice.set(false);
        enrolMarketingSms.set(false);
        enrolMarketingWechat.set(false);
    }

    /** The sync scheduler's news, from its own thread: shown on the UI thread. */
    public void onSyncStatus(SyncStatus status) {
        ui.execute(() -> {
            lastSync = status;
            showPending(status.pending());
            UUID arrived = status.historyOf();
            if (arrived != null && arrived.equals(memberId.get())) {
                submit(() -> summaries.byId(arrived), s -> {
                    if (arrived.equals(memberId.get())) {
                        s.ifPresent(summary -> {
                            show(summary);
                            info(found(summary));
                        });
                    }
                });
            }
        });
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
        submit(() -> {
            Staff manager = staff.authenticate(who, pin, StaffRole.MANAGER);
            return new Closed(closeDay.apply(LocalDate.now(clock), manager.id()), pendingEvents.getAsLong());
        }, closed -> {
            showPending(closed.pending());
            var z = closed.result().report();
            if (closed.result().reprinted()) {
                info(new UserMessage("counter.closeDay.again", z.sales(), Money.format(z.salesFen())));
            } else if (closed.result().confirmed()) {
                success(new UserMessage("counter.closeDay.done", z.sales(), Money.format(z.salesFen()), closed.result().throughSeq()));
            } else {
                info(new UserMessage("counter.closeDay.unconfirmed", z.sales(), Money.format(z.salesFen())));
            }
        });
    }

    private record Closed(CloseDay.Result result, long pending) {
    }

    private void showPending(long pending) {
        SyncStatus s = lastSync;
        String line;
        if (s != null && s.online()) {
            line = text("counter.status.online", clockTime(s.lastSync()), pending);
        } else if (s != null && s.lastSync() != null) {
            line = text("counter.status.offlineSince", clockTime(s.lastSync()), pending);
        } else {
            line = text("counter.status.offline", pending);
        }
        boolean skewed = s != null && s.clockSkewed();
        if (skewed) {
            line = text("counter.status.skew", line, s.officeOffsetMs() / 1000);
        }
        long parked = s == null ? 0 : s.parked();
        if (parked > 0) {
            line = text("counter.status.parked", line, parked);
        }
        // Either is shown in the warning style: a manager should look.
        syncWarning.set(skewed || parked > 0);
        syncOnline.set(s != null && s.online());
        syncText.set(line);
    }

    private String clockTime(java.time.Instant at) {
        // Not LocalTime.toString(): it drops the seconds when they are zero ("16:13" beside "16:12:59").
        return CLOCK_TIME.format(at.atZone(clock.getZone()));
    }

    private String tierProgressText(TierPolicy.TierProgress p) {
        if (p.next() == null) {
            return text("counter.tierProgress.top");
        }
        String needed = p.basis() == TierBasis.SPEND ? Money.format(p.needed()) : integers.format(p.needed());
        return text(p.basis() == TierBasis.SPEND ? "counter.tierProgress.spend" : "counter.tierProgress.points",
                needed, text(p.next().messageKey()));
    }

    private String suggestionTitle(Suggestion s) {
        if (s.isPoints()) {
            return text("counter.suggestion.points", s.points(), Money.format(s.valueFen()));
        }
        String name = s.template().name(bundle.getLocale());
        return s.couponCode() == null ? name : text("counter.suggestion.withCode", name, s.couponCode());
    }

    private String itemsText(Purchase p) {
        List<String> parts = new ArrayList<>();
        for (PurchaseLine l : p.lines()) {
            String label = l.sku() != null ? l.sku() : l.category() != null ? l.category() : text("counter.purchase.plain");
            parts.add(l.qty() == 1 ? label : text("counter.purchase.qty", label, l.qty()));
        }
        return String.join(", ", parts);
    }

    private String favouriteText(Favourite f) {
        return f.category() == null || f.category().isBlank()
                ? text("counter.favourite.noCategory", f.sku(), f.timesBought())
                : text("counter.favourite", f.sku(), f.category(), f.timesBought());
    }

    private long linesTotal() {
        return lines.stream().mapToLong(LineRow::amountFen).sum();
    }

    /** Fen as the amount field expects it: "12.50", without the currency sign. */
    private static String yuan(long fen) {
        return String.format(Locale.ROOT, "%d.%02d", fen / 100, fen % 100);
    }

    private void info(UserMessage m) {
        say(MessageKind.INFO, m);
    }

    private void success(UserMessage m) {
        say(MessageKind.SUCCESS, m);
    }

    private void error(UserMessage m) {
        say(MessageKind.ERROR, m);
    }

    private void say(MessageKind kind, UserMessage m) {
        messageKind.set(kind);
        message.set(m.format(bundle));
    }

    private String text(String key, Object... args) {
        return new UserMessage(key, args).format(bundle);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- properties ----------------------------------------------------------------------------

    public ResourceBundle bundle() { return bundle; }
    public ReadOnlyStringProperty lastScanProperty() { return lastScan; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public ReadOnlyObjectProperty<MessageKind> messageKindProperty() { return messageKind; }
    public ReadOnlyBooleanProperty busyProperty() { return busy; }
    public ReadOnlyBooleanProperty memberShownProperty() { return memberShown; }
    public ReadOnlyStringProperty nameProperty() { return name; }
    public ReadOnlyStringProperty phoneProperty() { return phone; }
    public ReadOnlyStringProperty cardCodeProperty() { return cardCode; }
    public ReadOnlyObjectProperty<Tier> tierProperty() { return tier; }
    public ReadOnlyStringProperty tierTextProperty() { return tierText; }
    public ReadOnlyStringProperty pointsProperty() { return points; }
    public ReadOnlyStringProperty storedValueProperty() { return storedValue; }
    public ReadOnlyStringProperty lastVisitProperty() { return lastVisit; }
    public ReadOnlyStringProperty tierProgressProperty() { return tierProgress; }
    public ReadOnlyStringProperty pointsExpiringProperty() { return pointsExpiring; }
    public ObservableList<String> tags() { return tagsView; }
    public ObservableList<PurchaseRow> purchases() { return purchasesView; }
    public ObservableList<String> favourites() { return favouritesView; }
    public ObservableList<SuggestionRow> suggestions() { return suggestionsView; }
    public StringProperty searchQueryProperty() { return searchQuery; }
    public ObservableList<MemberRow> searchResults() { return searchResultsView; }
    public ReadOnlyBooleanProperty searchResultsShownProperty() { return searchResultsShown; }
    public StringProperty saleAmountProperty() { return saleAmount; }
    public StringProperty lineSkuProperty() { return lineSku; }
    public StringProperty lineCategoryProperty() { return lineCategory; }
    public StringProperty lineQtyProperty() { return lineQty; }
    public StringProperty lineAmountProperty() { return lineAmount; }
    public ObservableList<LineRow> lines() { return linesView; }
    public ReadOnlyStringProperty receiptProperty() { return receipt; }
    public StringProperty pointsToRedeemProperty() { return pointsToRedeem; }
    public StringProperty storedValueToPayProperty() { return storedValueToPay; }
    public StringProperty storedValueToTopUpProperty() { return storedValueToTopUp; }
    public ReadOnlyBooleanProperty enrolShownProperty() { return enrolShown; }
    public StringProperty enrolNameProperty() { return enrolName; }
    public StringProperty enrolPhoneProperty() { return enrolPhone; }
    public StringProperty enrolBirthdayProperty() { return enrolBirthday; }
    public BooleanProperty enrolPrivacyNoticeProperty() { return enrolPrivacyNotice; }
    public BooleanProperty enrolMarketingSmsProperty() { return enrolMarketingSms; }
    public BooleanProperty enrolMarketingWechatProperty() { return enrolMarketingWechat; }
    public ReadOnlyStringProperty storeTextProperty() { return storeText; }
    public ReadOnlyStringProperty syncTextProperty() { return syncText; }
    public ReadOnlyStringProperty scannerTextProperty() { return scannerText; }
    public ReadOnlyBooleanProperty scannerProblemProperty() { return scannerProblem; }
    public ReadOnlyObjectProperty<MemberCard> cardRequestProperty() { return cardRequest; }
    public ReadOnlyBooleanProperty syncWarningProperty() { return syncWarning; }
    /** Whether the last sync reached head office: the status bar shows online and offline apart. */
    public ReadOnlyBooleanProperty syncOnlineProperty() { return syncOnline; }
    public boolean canCloseDay() { return closeDay != null; }
    public ReadOnlyStringProperty staffTextProperty() { return staffText; }
    public ReadOnlyObjectProperty<SuggestionRow> chosenCouponProperty() { return chosenCoupon; }
    /** The staff id signed in, or null. */
    public String signedInStaffId() { return signedIn == null ? null : signedIn.id(); }
}
