package dev.counterpoint.checkout;

import dev.counterpoint.protocol.Tier;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** The member panel's controller. */
public final class MemberPanelView {
    @FXML private VBox memberCard;
    @FXML private Label nameLabel;
    @FXML private Label tierLabel;
    @FXML private FlowPane tagsPane;
    @FXML private Label cardLabel;
    @FXML private Label phoneLabel;
    @FXML private Label lastVisitLabel;
    @FXML private Label pointsLabel;
    @FXML private Label storedValueLabel;
    @FXML private Label pointsExpiringLabel;
    @FXML private Label tierProgressLabel;
    @FXML private Label favouritesLabel;
    @FXML private TableView<MemberPanelFormat.PurchaseRow> purchasesTable;
    @FXML private TableColumn<MemberPanelFormat.PurchaseRow, String> dateColumn;
    @FXML private TableColumn<MemberPanelFormat.PurchaseRow, String> itemsColumn;
    @FXML private TableColumn<MemberPanelFormat.PurchaseRow, String> amountColumn;
    @FXML private TableColumn<MemberPanelFormat.PurchaseRow, String> receiptColumn;

    private MemberPanelViewModel vm;

    void bind(MemberPanelViewModel viewModel) {
        vm = viewModel;
        memberCard.visibleProperty().bind(vm.memberShownProperty());
        memberCard.managedProperty().bind(vm.memberShownProperty());
        nameLabel.textProperty().bind(vm.nameProperty());
        tierLabel.textProperty().bind(vm.tierTextProperty());
        vm.tierProperty().addListener((o, was, now) -> styleTier(now));
        cardLabel.textProperty().bind(vm.cardCodeProperty());
        phoneLabel.textProperty().bind(vm.phoneProperty());
        lastVisitLabel.textProperty().bind(vm.lastVisitProperty());
        pointsLabel.textProperty().bind(vm.pointsProperty());
        storedValueLabel.textProperty().bind(vm.storedValueProperty());
        pointsExpiringLabel.textProperty().bind(vm.pointsExpiringProperty());
        tierProgressLabel.textProperty().bind(vm.tierProgressProperty());
        vm.tags().addListener((ListChangeListener<String>) c -> showTags(vm.tags()));
        favouritesLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.favourites().isEmpty()
                ? vm.bundle().getString("counter.favourites.none")
                : String.join("   ", vm.favourites()), vm.favourites()));

        purchasesTable.setItems(vm.purchases());
        dateColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().date()));
        itemsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().items()));
        amountColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().amount()));
        receiptColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().receiptNo()));
        purchasesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    @FXML
    private void onShowCard() {
        vm.showCard();
    }

    /** By pseudo-class ({@code .tier-badge:gold}), as the message line is styled by kind: see ScanBarView. */
    private void styleTier(Tier tier) {
        for (Tier t : Tier.values()) {
            tierLabel.pseudoClassStateChanged(PseudoClass.getPseudoClass(t.name().toLowerCase(Locale.ROOT)), t == tier);
        }
    }

    /** Keeps the tag labels already there (new ones would each need styling) and changes only their text. */
    private void showTags(List<String> tags) {
        List<Node> shown = tagsPane.getChildren();
        while (shown.size() > tags.size()) {
            shown.remove(shown.size() - 1);
        }
        for (int i = 0; i < tags.size(); i++) {
            if (i < shown.size()) {
                ((Label) shown.get(i)).setText(tags.get(i));
            } else {
                Label l = new Label(tags.get(i));
                l.getStyleClass().add("tag");
                shown.add(l);
            }
        }
    }
}
