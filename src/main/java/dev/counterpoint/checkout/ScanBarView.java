package dev.counterpoint.checkout;

import java.util.Locale;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/** The scan bar's controller: the last scan, the search field, the void and refund button and the message line. */
public final class ScanBarView {
    @FXML private Label lastScanLabel;
    @FXML private TextField searchField;
    @FXML private Label messageLabel;

    private MemberLookupViewModel vm;
    private Runnable onArrowDown = () -> { };
    private Runnable openRefunds = () -> { };

    void bind(MemberLookupViewModel viewModel, CounterMessages messages) {
        vm = viewModel;
        lastScanLabel.textProperty().bind(vm.lastScanProperty());
        messageLabel.textProperty().bind(messages.messageProperty());
        messages.kindProperty().addListener((o, was, now) -> styleMessage(now));
        styleMessage(messages.kindProperty().get());
        searchField.textProperty().bindBidirectional(vm.searchQueryProperty());
        // Down from the search field goes to the matches, when there are several to pick from.
        searchField.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DOWN && vm.searchResultsShownProperty().get()) {
                onArrowDown.run();
                e.consume();
            }
        });
    }

    void setOnArrowDown(Runnable action) {
        onArrowDown = action;
    }

    /** The void and refund screen (its button, F6). */
    void setOnOpenRefunds(Runnable action) {
        openRefunds = action;
    }

    void openRefunds() {
        openRefunds.run();
    }

    @FXML
    private void onOpenRefunds() {
        openRefunds.run();
    }

    void focusSearch() {
        searchField.requestFocus();
    }

    @FXML
    private void onSearch() {
        vm.search();
    }

    /**
     * The kind by pseudo-class ({@code .message:error}), never by swapping style classes: a style class change sets the
     * label's styled font and padding back to their defaults until the next CSS pass, and the layout the counter makes
     * straight after each result then sized the message line, and moved every column under it, to those defaults and
     * back, so each message of another kind had the whole window laid out and drawn twice (decision 0078).
     */
    private void styleMessage(CounterMessages.Kind kind) {
        for (CounterMessages.Kind k : CounterMessages.Kind.values()) {
            messageLabel.pseudoClassStateChanged(PseudoClass.getPseudoClass(k.name().toLowerCase(Locale.ROOT)), k == kind);
        }
    }
}
