package dev.counterpoint.checkout;

import javafx.fxml.FXML;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;

/** The search results' controller: several members matched, and the cashier picks one (Enter or a click). */
public final class SearchResultsView {
    @FXML private VBox resultsPane;
    @FXML private ListView<MemberLookupViewModel.MemberRow> resultsList;

    void bind(MemberLookupViewModel vm) {
        resultsPane.visibleProperty().bind(vm.searchResultsShownProperty());
        resultsPane.managedProperty().bind(vm.searchResultsShownProperty());
        resultsList.setItems(vm.searchResults());
        resultsList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(MemberLookupViewModel.MemberRow r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : r.name() + "    " + r.phone() + "    " + r.cardCode());
            }
        });
        resultsList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                vm.pick(resultsList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        resultsList.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && resultsList.getSelectionModel().getSelectedItem() != null) {
                vm.pick(resultsList.getSelectionModel().getSelectedItem());
            }
        });
        vm.searchResultsShownProperty().addListener((o, was, now) -> {
            if (now) {
                resultsList.getSelectionModel().selectFirst();
            }
        });
    }

    /** Down from the search field: the first match, selected. */
    void focusFirst() {
        resultsList.requestFocus();
        resultsList.getSelectionModel().selectFirst();
    }
}
