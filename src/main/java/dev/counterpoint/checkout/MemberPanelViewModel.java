package dev.counterpoint.checkout;

import dev.counterpoint.member.MemberCard;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.UserMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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

/**
 * The member panel: who the member on the counter is, their balances, history, favourites and the coupons worth
 * offering, as {@link MemberPanelFormat} words them. Actions for the member run through {@link #act}, which re-reads
 * the panel afterwards, so what the cashier sees is what the database holds.
 */
public final class MemberPanelViewModel {
    /** What the panes beside the panel do when it changes; set by the counter's coordinator. */
    interface Listener {
        /**
         * Another member is about to be shown in place of {@code previous} (null: nobody was on the counter): what was
         * chosen for the last one's sale no longer holds.
         */
        void memberChanged(UUID previous, UUID next);

        /** A member is being shown (again, perhaps). */
        void shown(UUID memberId);

        /** The panel was emptied. */
        void cleared();
    }

    private final MemberSummaryService summaries;
    private final MemberPanelFormat format;
    private final StatusBarViewModel status;
    private final BackgroundTasks tasks;
    private final CounterMessages messages;
    private Consumer<Runnable> afterNextFrame = Runnable::run;
    private Listener listener = new Listener() {
        @Override public void memberChanged(UUID previous, UUID next) { }
        @Override public void shown(UUID memberId) { }
        @Override public void cleared() { }
    };

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
    private final ObservableList<String> customTags = FXCollections.observableArrayList();
    private final ObservableList<String> customTagsView = FXCollections.unmodifiableObservableList(customTags);
    private final ObservableList<MemberPanelFormat.PurchaseRow> purchases = FXCollections.observableArrayList();
    private final ObservableList<MemberPanelFormat.PurchaseRow> purchasesView = FXCollections.unmodifiableObservableList(purchases);
    private final ObservableList<String> favourites = FXCollections.observableArrayList();
    private final ObservableList<String> favouritesView = FXCollections.unmodifiableObservableList(favourites);
    private final ObservableList<MemberPanelFormat.SuggestionRow> suggestions = FXCollections.observableArrayList();
    private final ObservableList<MemberPanelFormat.SuggestionRow> suggestionsView =
            FXCollections.unmodifiableObservableList(suggestions);
    private final ObjectProperty<MemberCard> cardRequest = new SimpleObjectProperty<>();

    MemberPanelViewModel(MemberSummaryService summaries, MemberPanelFormat format, StatusBarViewModel status,
                         BackgroundTasks tasks, CounterMessages messages) {
        this.summaries = summaries;
        this.format = format;
        this.status = status;
        this.tasks = tasks;
        this.messages = messages;
    }

    void setListener(Listener listener) {
        this.listener = listener;
    }

    /** "Member found", saying so when their records from the rest of the chain are not here yet. */
    static UserMessage found(MemberSummary s) {
        return new UserMessage(s.chainHeld() ? "counter.message.found" : "counter.message.foundNotHeld",
                s.member().displayName());
    }

    void show(MemberSummary s) {
        UUID id = s.member().id();
        if (!id.equals(memberId.get())) {
            listener.memberChanged(memberId.get(), id);
        }
        listener.shown(id);
        MemberPanelFormat.Panel p = format.panel(s);
        memberId.set(id);
        name.set(p.name());
        phone.set(p.phone());
        cardCode.set(p.cardCode());
        tier.set(p.tier());
        tierText.set(p.tierText());
        points.set(p.points());
        storedValue.set(p.storedValue());
        lastVisit.set(p.lastVisit());
        tags.setAll(p.tags());
        customTags.setAll(p.customTags());
        tierProgress.set(p.tierProgress());
        pointsExpiring.set(p.pointsExpiring());
        purchases.setAll(p.purchases());
        favourites.setAll(p.favourites());
        suggestions.setAll(p.suggestions());
        memberShown.set(true);
    }

    void clear() {
        listener.cleared();
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
        customTags.clear();
        purchases.clear();
        favourites.clear();
        suggestions.clear();
    }

    /** The member's history from the rest of the chain has come: shown if they are still on the counter. */
    void historyArrived(UUID arrived) {
        if (arrived == null || !arrived.equals(memberId.get())) {
            return;
        }
        tasks.run(() -> summaries.byId(arrived), s -> {
            if (arrived.equals(memberId.get())) {
                s.ifPresent(summary -> {
                    show(summary);
                    messages.info(found(summary));
                });
            }
        });
    }

    /**
     * A void or refund changed the member's balances: shown again if they are on the counter, or shown if nobody is (the
     * customer at the counter is the one who brought it back); another member being served stays. {@code then} runs
     * afterwards on the UI thread, whatever was shown: the refund's receipt comes after the member, whose arrival would
     * otherwise put it away.
     */
    void refunded(UUID id, Runnable then) {
        if (memberId.get() != null && !id.equals(memberId.get())) {
            then.run();
            return;
        }
        tasks.runWaiting(() -> summaries.byId(id), java.time.Duration.ZERO, s -> {
            if (memberId.get() == null || id.equals(memberId.get())) {
                s.ifPresent(this::show);
            }
        }, then);
    }

    /**
     * Runs a business action for the member shown, then (refused or not) re-reads their panel. When the action
     * succeeded, {@code onDone} gets its outcome on the UI thread as soon as it is committed and the outcome is shown as a
     * success; the panel is read again only once that is on screen ({@link #afterNextFrame}): its reads would share the
     * cores with the frame that shows a checkout's receipt, and its changes would be laid out in that frame.
     *
     * @param waitForOutcome how long the calling (UI) thread waits for the outcome to apply it at once, so that a pulse
     *                       due meanwhile shows it (decision 0033); zero: it comes through the UI queue
     */
    void act(UUID id, Callable<UserMessage> action, Duration waitForOutcome, Consumer<UserMessage> onDone) {
        tasks.runWaiting(() -> {
            try {
                return new Acted(action.call(), null);
            } catch (BusinessRuleException e) {
                return new Acted(e.userMessage(), read(id));
            }
        }, waitForOutcome, acted -> {
            if (acted.refusedPanel() == null) {
                onDone.accept(acted.outcome());
                messages.success(acted.outcome());
                afterNextFrame.accept(() -> tasks.run(() -> read(id), panel -> showAgain(id, panel)));
            } else {
                showAgain(id, acted.refusedPanel());
                messages.error(acted.outcome());
            }
        }, () -> { });
    }

    /** An action's outcome; when it was refused, the panel read again after it (null when it succeeded). */
    private record Acted(UserMessage outcome, Reread refusedPanel) {
    }

    /** The panel read again after an action, with the events waiting for head office. */
    private record Reread(Optional<MemberSummary> summary, long pending) {
    }

    private Reread read(UUID id) {
        return new Reread(summaries.byId(id), status.readPending());
    }

    private void showAgain(UUID id, Reread panel) {
        status.showPending(panel.pending());
        if (id.equals(memberId.get())) {
            panel.summary().ifPresentOrElse(this::show, this::clear);
        }
    }

    /**
     * How the panel is read again after an action once the action's outcome is on screen: the window runs the given work
     * after its next frame. At once by default (no window).
     */
    void afterNextFrame(Consumer<Runnable> schedule) {
        this.afterNextFrame = schedule;
    }

    /** Asks for the shown member's QR card (the window opens it). */
    public void showCard() {
        if (memberId.get() == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        requestCard(new MemberCard(name.get(), cardCode.get()));
    }

    void requestCard(MemberCard card) {
        cardRequest.set(card);
    }

    /** The member shown, or null. */
    UUID memberId() {
        return memberId.get();
    }

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
    /** The member's custom tags as set (shown apart from the automatic ones, decision 0077). */
    public ObservableList<String> customTags() { return customTagsView; }
    public ReadOnlyObjectProperty<UUID> memberIdProperty() { return memberId; }
    public ObservableList<MemberPanelFormat.PurchaseRow> purchases() { return purchasesView; }
    public ObservableList<String> favourites() { return favouritesView; }
    public ObservableList<MemberPanelFormat.SuggestionRow> suggestions() { return suggestionsView; }
    public ReadOnlyObjectProperty<MemberCard> cardRequestProperty() { return cardRequest; }
    public java.util.ResourceBundle bundle() { return messages.bundle(); }
}
