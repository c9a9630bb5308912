package dev.counterpoint.checkout;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The counter's message line, shared by its panes: the last thing said to the cashier, and whether it went well. */
public final class CounterMessages {
    /** WARNING: nothing went wrong, but the cashier must look before going on (a large amount to confirm). */
    public enum Kind { INFO, SUCCESS, WARNING, ERROR }

    private final ResourceBundle bundle;
    private final StringProperty message = new SimpleStringProperty("");
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(Kind.INFO);

    public CounterMessages(Locale locale) {
        this.bundle = Messages.bundle(locale);
    }

    public void info(UserMessage m) {
        say(Kind.INFO, m);
    }

    public void success(UserMessage m) {
        say(Kind.SUCCESS, m);
    }

    public void warn(UserMessage m) {
        say(Kind.WARNING, m);
    }

    public void error(UserMessage m) {
        say(Kind.ERROR, m);
    }

    /** "Ready: scan a member card." */
    void ready() {
        info(new UserMessage("counter.message.ready"));
    }

    private void say(Kind k, UserMessage m) {
        kind.set(k);
        message.set(m.format(bundle));
    }

    /** A text of the counter's bundle. */
    public String text(String key, Object... args) {
        return new UserMessage(key, args).format(bundle);
    }

    public ResourceBundle bundle() { return bundle; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public ReadOnlyObjectProperty<Kind> kindProperty() { return kind; }
}
