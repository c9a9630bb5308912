package dev.counterpoint.checkout;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

/**
 * The counter window's controller: gives each included pane's controller its view model and owns what spans panes —
 * the placeholder shown when no pane is, the actions column open only with a member, and the keys. Created by
 * FXMLLoader with no arguments; the view model arrives afterwards through {@link #bind}.
 *
 * <p>Keys: F1 uses the top suggestion, F2 completes the checkout, F3 goes to the search field, F6 opens the void and
 * refund screen, F9 opens the manager's rule editor, Esc takes back a large amount's confirmation or clears.
 */
public final class CounterView {
    @FXML private BorderPane root;
    @FXML private VBox placeholder;
    @FXML private VBox actionsColumn;
    @FXML private ScanBarView scanBarController;
    @FXML private MemberPanelView memberCardController;
    @FXML private SearchResultsView resultsPaneController;
    @FXML private EnrolmentView enrolPaneController;
    @FXML private CheckoutView saleController;
    @FXML private PaymentsView paymentsController;
    @FXML private StatusBarView statusBarController;

    private CounterViewModel vm;

    /** What the Rules button and F9 open: the manager's rule editor, supplied by the window. */
    public void setOnOpenRules(Runnable action) {
        statusBarController.setOnOpenRules(action);
    }

    /** What the void and refund button and F6 open: the screen over the counter, supplied by the window. */
    public void setOnOpenRefunds(Runnable action) {
        scanBarController.setOnOpenRefunds(action);
    }

    /** What the scanner settings button opens (the window wires it: it owns the scanners). */
    public void setOnScannerSettings(Runnable action) {
        statusBarController.setOnScannerSettings(action);
    }

    public void setOnPrinterSettings(Runnable action) {
        statusBarController.setOnPrinterSettings(action);
    }

    public void setOnReprint(Runnable action) {
        saleController.setOnReprint(action);
    }

    /** Connects the loaded panes to their view models; called once, right after loading. */
    public void bind(CounterViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the counter view is already bound");
        }
        vm = viewModel;
        scanBarController.bind(vm.lookup(), vm.messages());
        memberCardController.bind(vm.memberPanel(), vm.memberTags());
        resultsPaneController.bind(vm.lookup());
        enrolPaneController.bind(vm.lookup());
        saleController.bind(vm.checkout(), vm.memberPanel());
        paymentsController.bind(vm.payments());
        statusBarController.bind(vm.statusBar());
        scanBarController.setOnArrowDown(resultsPaneController::focusFirst);

        MemberLookupViewModel lookup = vm.lookup();
        var shown = Bindings.createBooleanBinding(() -> !vm.memberPanel().memberShownProperty().get()
                        && !lookup.searchResultsShownProperty().get() && !lookup.enrolShownProperty().get(),
                vm.memberPanel().memberShownProperty(), lookup.searchResultsShownProperty(), lookup.enrolShownProperty());
        placeholder.visibleProperty().bind(shown);
        placeholder.managedProperty().bind(shown);
        actionsColumn.disableProperty().bind(vm.memberPanel().memberShownProperty().not());

        // The function keys are the counter's wherever the focus is: a filter, because a list in focus (the coupons
        // offered, the sale's lines) takes F2 for editing a cell and the key would never reach a handler here. Esc
        // stays a handler, so that a field or popup that closes on Esc has it first.
        root.addEventFilter(KeyEvent.KEY_PRESSED, this::onFunctionKey);
        root.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                vm.escape();
                e.consume();
            }
        });
    }

    private void onFunctionKey(KeyEvent e) {
        switch (e.getCode()) {
            case F1 -> vm.checkout().redeemTop();
            case F2 -> vm.checkout().recordSale();
            case F3 -> scanBarController.focusSearch();
            case F6 -> scanBarController.openRefunds();
            case F9 -> statusBarController.openRules();
            default -> {
                return;
            }
        }
        e.consume();
    }
}
