package dev.counterpoint.checkout;

import dev.counterpoint.member.MemberTags;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import java.time.Duration;
import java.util.UUID;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The member panel's custom tags editor (decision 0077): a manager adds a tag or removes one of the member shown. A
 * manager signed in on the status bar needs nothing more; anyone else gives a manager's id and PIN, checked off the UI
 * thread as the other manager actions are. The change goes through {@link MemberPanelViewModel#act}, which re-reads
 * the panel, so the tags shown are those the database holds.
 */
public final class MemberTagsViewModel {
    private final MemberTags tags;
    private final StaffAccounts staff;
    private final StatusBarViewModel status;
    private final MemberPanelViewModel panel;
    private final CounterMessages messages;

    private final BooleanProperty open = new SimpleBooleanProperty(false);
    private final StringProperty tag = new SimpleStringProperty("");
    private final StringProperty managerId = new SimpleStringProperty("");
    private final StringProperty managerPin = new SimpleStringProperty("");
    private final BooleanProperty managerSignedIn = new SimpleBooleanProperty(false);
    private final BooleanBinding approvalNeeded = managerSignedIn.not();

    MemberTagsViewModel(MemberTags tags, StaffAccounts staff, StatusBarViewModel status, MemberPanelViewModel panel,
                        CounterMessages messages) {
        this.tags = tags;
        this.staff = staff;
        this.status = status;
        this.panel = panel;
        this.messages = messages;
        // Another member (or none): the editor closes, and nothing typed for the last one stays.
        panel.memberIdProperty().addListener((o, was, now) -> {
            if (was != null && !was.equals(now)) {
                close();
            }
        });
    }

    /** Opens the editor for the member shown; says so when no one is shown. */
    public void open() {
        if (panel.memberId() == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        Staff signedIn = status.cashier();
        managerSignedIn.set(signedIn != null && signedIn.may(StaffRole.MANAGER));
        open.set(true);
    }

    /** Closes the editor; the PIN typed is forgotten. */
    public void close() {
        open.set(false);
        tag.set("");
        managerPin.set("");
    }

    /** Adds the tag typed. */
    public void add() {
        change(tag.get(), true);
    }

    /** Removes one of the member's tags. */
    public void remove(String name) {
        change(name, false);
    }

    private void change(String name, boolean on) {
        UUID member = panel.memberId();
        if (member == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        String typed = name == null ? "" : name;
        Staff signedIn = managerSignedIn.get() ? status.cashier() : null;
        String id = managerId.get() == null ? "" : managerId.get().strip();
        String pin = managerPin.get() == null ? "" : managerPin.get();
        if (signedIn == null && (id.isEmpty() || pin.isEmpty())) {
            messages.error(new UserMessage("tags.error.managerOnly"));
            return;
        }
        String card = panel.cardCodeProperty().get();
        managerPin.set("");
        panel.act(member, () -> {
            Staff manager = signedIn != null && signedIn.may(StaffRole.MANAGER) ? signedIn
                    : staff.authenticate(id, pin, StaffRole.MANAGER);
            MemberTags.Outcome done = tags.set(member, typed, on, manager);
            if (!done.changed()) {
                throw new BusinessRuleException("memberTag.unchanged", done.tag(), card);
            }
            return new UserMessage(on ? "memberTag.added" : "memberTag.removed", done.tag(), card);
        }, Duration.ZERO, done -> tag.set(""));
    }

    public ReadOnlyBooleanProperty openProperty() { return open; }
    public StringProperty tagProperty() { return tag; }
    public StringProperty managerIdProperty() { return managerId; }
    public StringProperty managerPinProperty() { return managerPin; }
    /** True when a manager's id and PIN must be given (no manager signed in). */
    public BooleanBinding approvalNeededProperty() { return approvalNeeded; }
    /** Whether the Add button does anything yet. */
    public BooleanBinding cannotAdd() {
        return Bindings.createBooleanBinding(() -> tag.get() == null || tag.get().isBlank(), tag);
    }
}
