package dev.counterpoint.checkout;

import dev.counterpoint.member.CardRange;
import dev.counterpoint.member.EnrolmentConsent;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberCard;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.Phones;
import dev.counterpoint.scan.CodeParser;
import dev.counterpoint.scan.ScanCheck;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.UserMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finding the member at the counter — a scan, a search, a pick among several matches — and enrolling one who is not
 * found. A member found goes to the member panel; an unknown card of the store's range is the card in the customer's
 * hand, and enrolling gives them that card (decision 0057).
 */
public final class MemberLookupViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(MemberLookupViewModel.class);

    /** One match of a manual search. */
    public record MemberRow(UUID id, String name, String phone, String cardCode) {
    }

    /** Scans waiting while a lookup runs; more than this many waiting means something is wrong. */
    public static final int SCAN_QUEUE_CAPACITY = 32;
    /**
     * How long a scan holds the UI thread for its lookup (which takes 1–3 ms) so that its member shows in the next
     * frame: half a frame at 60 Hz, so the UI never misses more than one pulse for it (decision 0033).
     */
    public static final Duration SCAN_RESULT_WAIT = Duration.ofMillis(8);

    private final MemberService members;
    private final MemberSummaryService summaries;
    private final ScanCheck scanCheck;
    private final CardRange cards;
    private final MemberPanelViewModel panel;
    private final StatusBarViewModel status;
    private final BackgroundTasks tasks;
    private final CounterMessages messages;

    private final StringProperty lastScan = new SimpleStringProperty("");
    /** Scans that arrived while a lookup was running, oldest first; touched on the UI thread only. */
    private final Deque<ScanEvent> pendingScans = new ArrayDeque<>();
    private boolean scanInFlight;

    private final StringProperty searchQuery = new SimpleStringProperty("");
    private final ObservableList<MemberRow> searchResults = FXCollections.observableArrayList();
    private final ObservableList<MemberRow> searchResultsView = FXCollections.unmodifiableObservableList(searchResults);
    private final BooleanProperty searchResultsShown = new SimpleBooleanProperty(false);

    private final BooleanProperty enrolShown = new SimpleBooleanProperty(false);
    /** The card in the customer's hand that enrolling gives them; null: a new number is issued. */
    private String enrolCard;
    /** What enrolling will give: the card in hand, or a new number. */
    private final StringProperty enrolCardText = new SimpleStringProperty("");
    private final StringProperty enrolName = new SimpleStringProperty("");
    private final StringProperty enrolPhone = new SimpleStringProperty("");
    private final StringProperty enrolBirthday = new SimpleStringProperty("");
    /** The privacy notice read and accepted: required to enrol. Marketing is asked per channel and may be declined. */
    private final BooleanProperty enrolPrivacyNotice = new SimpleBooleanProperty(false);
    private final BooleanProperty enrolMarketingSms = new SimpleBooleanProperty(false);
    private final BooleanProperty enrolMarketingWechat = new SimpleBooleanProperty(false);

    MemberLookupViewModel(MemberService members, MemberSummaryService summaries, ScanCheck scanCheck, CardRange cards,
                          MemberPanelViewModel panel, StatusBarViewModel status, BackgroundTasks tasks,
                          CounterMessages messages) {
        this.members = members;
        this.summaries = summaries;
        this.scanCheck = scanCheck;
        this.cards = cards;
        this.panel = panel;
        this.status = status;
        this.tasks = tasks;
        this.messages = messages;
    }

    // ---- scanning ------------------------------------------------------------------------------

    /**
     * A scanner read something (wedge or serial, on the UI thread). It is validated first: garbage, a bad check digit
     * or an expired or forged member QR is refused here and never looked up. Reads arriving while a lookup runs wait
     * their turn, in order, in a bounded queue.
     */
    public void onScan(ScanEvent scan) {
        status.staffActed();
        if (scanInFlight) {
            if (pendingScans.size() >= SCAN_QUEUE_CAPACITY) {
                LOG.warn("scan queue full ({}); dropped a {} read", SCAN_QUEUE_CAPACITY, scan.source());
                messages.error(new UserMessage("scan.error.queueFull"));
            } else {
                pendingScans.addLast(scan);
            }
            return;
        }
        ScanCheck.Outcome outcome = scanCheck.check(scan.code());
        if (outcome instanceof ScanCheck.Refused refused) {
            messages.error(refused.reason());
            nextScan();
            return;
        }
        // A read that breaks the barcode rules is still a legacy card if one has exactly this number; if not,
        // the misread is explained and no enrolment is offered for it.
        UserMessage ifUnknown = outcome instanceof ScanCheck.LookupIfKnown doubtful ? doubtful.ifUnknown() : null;
        String code = outcome instanceof ScanCheck.LookupIfKnown doubtful ? doubtful.code() : ((ScanCheck.Lookup) outcome).code();
        // A printed card is in the customer's hand; a member QR names a card that is someone's, known here or not yet.
        CodeParser.Kind kind = outcome instanceof ScanCheck.Lookup l ? l.kind() : null;
        lastScan.set(code);
        scanInFlight = true;
        tasks.runWaiting(() -> {
            Optional<MemberSummary> summary = summaries.byCode(code);
            return new Loaded(summary, summary.isEmpty() && members.erasedCard(code).isPresent(), status.readPending());
        }, SCAN_RESULT_WAIT, loaded -> {
            status.showPending(loaded.pending());
            if (loaded.summary().isPresent()) {
                panel.show(loaded.summary().get());
                messages.info(MemberPanelViewModel.found(loaded.summary().get()));
            } else if (loaded.erased()) {
                // An erased card is known, but nothing of its member is left: no enrolment is offered for it either.
                panel.clear();
                messages.error(new UserMessage("counter.erased", code));
            } else if (ifUnknown != null) {
                messages.error(ifUnknown);
            } else {
                panel.clear();
                unknownCode(code, kind);
            }
        }, () -> {
            scanInFlight = false;
            nextScan();
        });
    }

    /** Nobody has the code scanned: enrolment is offered, with the card in hand when it is one of this store's. */
    private void unknownCode(String code, CodeParser.Kind kind) {
        if (kind == CodeParser.Kind.MEMBER_TOKEN) {
            openEnrolment("", "", null);
            messages.error(new UserMessage("lookup.notFound", code));
        } else if (cards.contains(code)) {
            openEnrolment("", "", code);
            messages.error(new UserMessage("lookup.notFound", code));
        } else {
            openEnrolment("", "", null);
            messages.error(new UserMessage(CardRange.wellFormed(code) ? "counter.enrol.otherStoresCard"
                    : "counter.enrol.notACard", code, cards.shown()));
        }
    }

    private void nextScan() {
        ScanEvent next = pendingScans.pollFirst();
        if (next != null) {
            onScan(next);
        }
    }

    // ---- search --------------------------------------------------------------------------------

    /** Manual lookup: card code, phone, last four digits or the start of a name. */
    public void search() {
        String q = searchQuery.get() == null ? "" : searchQuery.get().strip();
        if (q.isEmpty()) {
            messages.error(new UserMessage("counter.search.empty"));
            return;
        }
        tasks.run(() -> {
            List<Member> found = members.search(q);
            Optional<MemberSummary> only = found.size() == 1 ? summaries.byId(found.get(0).id()) : Optional.empty();
            return new Searched(found, only, status.readPending());
        }, result -> {
            status.showPending(result.pending());
            searchResults.clear();
            searchResultsShown.set(false);
            if (result.only().isPresent()) {
                searchQuery.set("");
                panel.show(result.only().get());
                messages.info(MemberPanelViewModel.found(result.only().get()));
            } else if (result.found().isEmpty()) {
                panel.clear();
                boolean phoneLike = Phones.normalise(q).isPresent();
                // The number of the card in hand, typed in because its barcode will not scan, is that card.
                openEnrolment(phoneLike || q.matches("[\\d\\s+-]+") ? "" : q, phoneLike ? q : "",
                        cards.contains(q) ? q : null);
                messages.error(new UserMessage("counter.search.none", q));
            } else {
                panel.clear();
                result.found().forEach(m -> searchResults.add(new MemberRow(m.id(), m.displayName(),
                        m.phoneMasked() == null ? "" : m.phoneMasked(), m.cardCode())));
                searchResultsShown.set(true);
                messages.info(new UserMessage("counter.search.several", result.found().size()));
            }
        });
    }

    public void pick(MemberRow row) {
        if (row == null) {
            return;
        }
        tasks.run(() -> new Loaded(summaries.byId(row.id()), false, status.readPending()), loaded -> {
            status.showPending(loaded.pending());
            searchResults.clear();
            searchResultsShown.set(false);
            searchQuery.set("");
            loaded.summary().ifPresentOrElse(s -> {
                panel.show(s);
                messages.info(MemberPanelViewModel.found(s));
            }, () -> messages.error(new UserMessage("member.error.unknown")));
        });
    }

    // ---- enrolment -----------------------------------------------------------------------------

    public void enrol() {
        LocalDate birthday;
        String b = enrolBirthday.get() == null ? "" : enrolBirthday.get().strip();
        try {
            birthday = b.isEmpty() ? null : LocalDate.parse(b);
        } catch (DateTimeParseException e) {
            // Written as a date but no day of the calendar (30 February) is another mistake than another format.
            messages.error(new UserMessage(b.matches("\\d{4}-\\d{2}-\\d{2}") ? "counter.enrol.birthdayNoSuchDay"
                    : "counter.enrol.birthdayFormat", b));
            return;
        }
        if (!enrolPrivacyNotice.get()) {
            messages.error(new UserMessage("counter.enrol.privacyRequired"));
            return;
        }
        String n = enrolName.get();
        String p = enrolPhone.get();
        String card = enrolCard;
        EnrolmentConsent consent = new EnrolmentConsent(true, enrolMarketingSms.get(), enrolMarketingWechat.get());
        tasks.run(() -> {
            Member m = members.enrol(n, p, birthday, consent, card);
            return new Loaded(summaries.byId(m.id()), false, status.readPending());
        }, loaded -> {
            status.showPending(loaded.pending());
            loaded.summary().ifPresent(s -> {
                enrolShown.set(false);
                enrolName.set("");
                enrolPhone.set("");
                enrolBirthday.set("");
                clearConsent();
                panel.show(s);
                if (card != null) {
                    // The card is in their hand: nothing to print.
                    messages.success(new UserMessage("counter.enrol.doneCardInHand", s.member().displayName(),
                            s.member().cardCode()));
                } else {
                    messages.success(new UserMessage("counter.enrol.done", s.member().displayName(), s.member().cardCode()));
                    panel.requestCard(new MemberCard(s.member().displayName(), s.member().cardCode()));
                }
                enrolCard = null;
            });
        });
    }

    public void cancelEnrolment() {
        enrolShown.set(false);
        enrolCard = null;
        messages.ready();
    }

    private void openEnrolment(String nameGuess, String phoneGuess, String cardInHand) {
        enrolCard = cardInHand;
        enrolCardText.set(cardInHand == null ? messages.text("counter.enrol.hint")
                : messages.text("counter.enrol.hintCardInHand", cardInHand));
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

    /** A member is shown: the search results and the enrolment form give way. */
    void memberShown() {
        enrolShown.set(false);
        searchResultsShown.set(false);
    }

    /** Back to the empty counter (Esc). */
    void clear() {
        searchResults.clear();
        searchResultsShown.set(false);
        enrolShown.set(false);
        enrolCard = null;
    }

    private record Loaded(Optional<MemberSummary> summary, boolean erased, long pending) {
    }

    private record Searched(List<Member> found, Optional<MemberSummary> only, long pending) {
    }

    public ReadOnlyStringProperty lastScanProperty() { return lastScan; }
    public StringProperty searchQueryProperty() { return searchQuery; }
    public ObservableList<MemberRow> searchResults() { return searchResultsView; }
    public ReadOnlyBooleanProperty searchResultsShownProperty() { return searchResultsShown; }
    public ReadOnlyBooleanProperty enrolShownProperty() { return enrolShown; }
    /** The card enrolling gives, when it is the card in the customer's hand; null when a new number is issued. */
    public String enrolCard() { return enrolCard; }
    public ReadOnlyStringProperty enrolCardTextProperty() { return enrolCardText; }
    public StringProperty enrolNameProperty() { return enrolName; }
    public StringProperty enrolPhoneProperty() { return enrolPhone; }
    public StringProperty enrolBirthdayProperty() { return enrolBirthday; }
    public BooleanProperty enrolPrivacyNoticeProperty() { return enrolPrivacyNotice; }
    public BooleanProperty enrolMarketingSmsProperty() { return enrolMarketingSms; }
    public BooleanProperty enrolMarketingWechatProperty() { return enrolMarketingWechat; }
}
