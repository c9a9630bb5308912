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
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** The member panel's controller. */
public final class MemberPanelView {
    @FXML private VBox memberCard;
    @FXML private Label nameLabel;
    @FXML private Label tierLabel;
    @FXML private FlowPane tagsPane;
    @FXML private FlowPane customTagsPane;
    @FXML private VBox tagEditor;
    @FXML private FlowPane removableTagsPane;
    @FXML private TextField tagField;
    @FXML private Button addTagButton;
    @FXML private HBox approvalBox;
    @FXML private TextField tagManagerIdField;
    @FXML private PasswordField tagManagerPinField;
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
    private MemberTagsViewModel tags;

    void bind(MemberPanelViewModel viewModel, MemberTagsViewModel tagsViewModel) {
        vm = viewModel;
        tags = tagsViewModel;
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
        vm.customTags().addListener((ListChangeListener<String>) c -> showCustomTags(vm.customTags()));
        tagEditor.visibleProperty().bind(tags.openProperty());
        tagEditor.managedProperty().bind(tags.openProperty());
        approvalBox.visibleProperty().bind(tags.approvalNeededProperty());
        approvalBox.managedProperty().bind(tags.approvalNeededProperty());
        tagField.textProperty().bindBidirectional(tags.tagProperty());
        tagManagerIdField.textProperty().bindBidirectional(tags.managerIdProperty());
        tagManagerPinField.textProperty().bindBidirectional(tags.managerPinProperty());
        addTagButton.disableProperty().bind(tags.cannotAdd());
        favouritesLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.favourites().isEmpty()
                ? vm.bundle().getString("counter.favourites.none")
                : String.join("   ", vm.favourites()), vm.favourites()));

        purchasesTable.setItems(vm.purchases());
        dateColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().date()));
        // A voided or refunded purchase says so before its items, and its row is marked (struck through when voided).
        itemsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reversalText().isEmpty()
                ? c.getValue().items() : c.getValue().reversalText() + " · " + c.getValue().items()));
        purchasesTable.setRowFactory(t -> new PurchaseTableRow());
        amountColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().amount()));
        receiptColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().receiptNo()));
        purchasesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    /** A purchase's row, marked by what was taken back of it ({@code .table-row-cell:voided}, {@code :refunded}). */
    private static final class PurchaseTableRow extends TableRow<MemberPanelFormat.PurchaseRow> {
        private static final PseudoClass VOIDED = PseudoClass.getPseudoClass("voided");
        private static final PseudoClass REFUNDED = PseudoClass.getPseudoClass("refunded");

        @Override
        protected void updateItem(MemberPanelFormat.PurchaseRow item, boolean empty) {
            super.updateItem(item, empty);
            MemberPanelFormat.Reversal r = empty || item == null ? MemberPanelFormat.Reversal.NONE : item.reversal();
            pseudoClassStateChanged(VOIDED, r == MemberPanelFormat.Reversal.VOIDED);
            pseudoClassStateChanged(REFUNDED, r == MemberPanelFormat.Reversal.REFUNDED
                    || r == MemberPanelFormat.Reversal.PARTLY_REFUNDED);
        }
    }

    @FXML
    private void onShowCard() {
        vm.showCard();
    }

    @FXML
    private void onEditTags() {
        tags.open();
        if (tags.openProperty().get()) {
            tagField.requestFocus();
        }
    }

    @FXML
    private void onAddTag() {
        tags.add();
        keepCursorInEditor();
    }

    @FXML
    private void onCloseTags() {
        tags.close();
    }

    /** After an add or a remove the pressed button may go away or turn disabled: the next tag is typed here. */
    private void keepCursorInEditor() {
        if (tags.openProperty().get()) {
            tagField.requestFocus();
        }
    }

    /** The member's own tags, styled apart from the automatic ones, and in the editor each with its remove button. */
    private void showCustomTags(List<String> custom) {
        customTagsPane.getChildren().setAll(custom.stream().map(t -> {
            Label l = new Label(t);
            l.getStyleClass().addAll("tag", "tag-custom");
            return (Node) l;
        }).toList());
        removableTagsPane.getChildren().setAll(custom.stream().map(t -> {
            Button b = new Button(vm.bundle().getString("member.tags.remove").replace("{0}", t));
            b.getStyleClass().add("tag-remove");
            b.setOnAction(e -> {
                tags.remove(t);
                keepCursorInEditor();
            });
            return (Node) b;
        }).toList());
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
