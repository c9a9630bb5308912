package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.CounterWindow;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real counter window (FXML view, view model, wedge filter) on an in-memory terminal, driven
 * headless. The wedge gap is widened to 500 ms so the robot's "scanner" stays a burst on a busy
 * machine, and the "person" types a second apart; nothing here measures time.
 */
@ExtendWith(ApplicationExtension.class)
class CounterWindowTest {
    private static final String WEDGE = "wedge.maxGapMillis=500\nwedge.minLength=4\n";
    private static final long SLOW_KEY_MILLIS = 1200;

    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterWindow window;

    private void open(Locale locale) throws TimeoutException {
        fx = new CounterFixture(dir, locale, WEDGE);
        showWindow();
    }

    private void showWindow() throws TimeoutException {
        FxToolkit.setupStage(stage -> {
            window = CounterWindow.create(fx.ctx.counter());
            stage.setScene(window.scene());
            stage.setTitle(window.title());
            stage.show();
            stage.toFront();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @BeforeEach
    void registerStage() throws TimeoutException {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws TimeoutException {
        FxToolkit.setupFixture(() -> List.copyOf(javafx.stage.Window.getWindows()).stream()
                .filter(w -> w instanceof Stage st && st.getOwner() != null).forEach(javafx.stage.Window::hide));
        FxToolkit.setupStage(Stage::hide);
        if (window != null) {
            window.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aWedgeScanWithFocusInTheSearchFieldShowsTheMemberPanel(FxRobot robot) throws TimeoutException {
        open(Locale.SIMPLIFIED_CHINESE);
        TextField search = robot.lookup("#searchField").queryAs(TextField.class);
        robot.clickOn(search);
        assertThat(search.isFocused()).isTrue();

        robot.write(fx.wang.cardCode(), 0);
        robot.type(KeyCode.ENTER);

        // the panel is shown when its last part, the suggestion cells, has been laid out
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳") && texts(robot, ".suggestion-reason").size() == 2);
        assertThat(search.getText()).as("the scan does not end up in the focused field").isEmpty();
        assertThat(text(robot, "#lastScanLabel")).isEqualTo(fx.wang.cardCode());
        assertThat(text(robot, "#phoneLabel")).isEqualTo("138****5678");
        assertThat(text(robot, "#cardLabel")).isEqualTo(fx.wang.cardCode());
        assertThat(text(robot, "#tierLabel")).isEqualTo("普通");
        assertThat(text(robot, "#pointsLabel")).isEqualTo("200");
        assertThat(text(robot, "#storedValueLabel")).isEqualTo("¥100.00");
        assertThat(text(robot, "#favouritesLabel")).isEqualTo("BEAN-YIRG（咖啡豆）· 买过 2 次");
        assertThat(texts(robot, ".suggestion-title").get(0)).matches("生日礼 满¥50减¥20 · CP[A-Z2-9]{10}   \\[F1]");
        assertThat(texts(robot, ".suggestion-reason")).containsExactly("生日还有 3 天（2026-03-13）", "40 天未到店");
        // the fixture's 4 events and the birthday and win-back coupons issued when 王芳 is shown
        assertThat(text(robot, "#syncLabel")).isEqualTo("离线 · 8 待同步");
        assertThat(text(robot, "#tierProgressLabel")).isEqualTo("再消费 ¥800.00 升级为银卡");
        assertThat(text(robot, "#storeLabel")).isEqualTo("Test Store（S001）· 终端 T1");
        assertThat(robot.lookup("#memberCard").query().isVisible()).isTrue();
        List<String> wangsTags = texts(robot, ".tag");
        assertThat(wangsTags).isEqualTo(window.viewModel().memberPanel().tags());

        // the tag labels are reused from member to member: the next member's tags, no more, no fewer
        robot.write(fx.li.cardCode(), 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#nameLabel").equals("李雷"));
        assertThat(texts(robot, ".tag")).containsExactly("新会员").isNotEqualTo(wangsTags);
    }

    @Test
    void aCashierSignsInAndTheTopCouponWithOneKeyIsTakenOffTheCheckout(FxRobot robot) throws TimeoutException {
        openSignedInWithLiScanned(robot);
        assertThat(robot.lookup("#saleAmountField").queryAs(TextField.class).getText()).isEmpty();
        assertThat(texts(robot, ".tag")).containsExactly("New member");
        assertThat(robot.lookup("#redeemTopButton").queryAs(javafx.scene.control.Button.class).getText())
                .isEqualTo("Use top coupon [F1]");

        robot.type(KeyCode.F1);
        waitUntil(() -> text(robot, "#messageLabel").matches("Welcome ¥10 off · CP[A-Z2-9]{10} is used for this sale.*"));
        assertThat(fx.events("coupon.redeemed")).isZero();

        // The amount took the keyboard when the member was shown: the cashier just types it.
        assertThat(robot.lookup("#saleAmountField").query().isFocused()).isTrue();
        robot.write("80");
        robot.type(KeyCode.F2);
        waitUntil(() -> text(robot, "#receiptLabel").startsWith("Receipt "));
        assertThat(text(robot, "#receiptLabel")).contains("¥80.00, coupon -¥10.00", "to pay ¥70.00; 70 points earned.");
        String payload = fx.ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'checkout.completed' AND aggregate_id = :m")
                .bind("m", fx.li.id()).mapTo(String.class).one());
        assertThat(payload).contains("\"template_id\":\"WELCOME\"", "\"discount_fen\":1000", "\"gross_fen\":8000",
                "\"points_earned\":70", "\"staff_id\":\"lin\"", "\"member_id\":\"" + fx.li.id() + "\"");
        waitUntil(() -> texts(robot, ".suggestion-title").isEmpty());
        assertThat(text(robot, "#syncLabel")).isEqualTo("Offline · 8 pending");
        // The receipt is shown beside the counter as it prints (no printer set up here: shown only).
        waitUntil(() -> texts(robot, ".paper .label").stream().anyMatch(t -> t.startsWith("To pay")));
        assertThat(texts(robot, ".paper .label")).anySatisfy(t -> assertThat(t).matches("To pay +¥70\\.00"))
                .anySatisfy(t -> assertThat(t).matches("Points earned +\\+70"))
                .anySatisfy(t -> assertThat(t).startsWith("Member ****" + fx.li.cardCode().substring(9)));
        assertThat(text(robot, "#statusLabel")).endsWith("no receipt printer is set up, so it is shown only.");

        fx.topUp(fx.li.id(), 5000);
        robot.clickOn("#storedValueField").write("20");
        robot.clickOn("#payStoredValueButton");
        waitUntil(() -> text(robot, "#messageLabel").equals("¥20.00 of stored value will pay this sale: complete it with F2."));
        robot.clickOn("#saleAmountField").write("20");
        robot.type(KeyCode.F2);

        waitUntil(() -> text(robot, "#storedValueLabel").equals("¥30.00"));
        assertThat(fx.count("SELECT COUNT(*) FROM sv_entry WHERE member_id = ? AND delta_fen = -2000 AND kind = 'PAY'",
                fx.li.id())).isEqualTo(1);
        assertThat(fx.events("checkout.completed")).isEqualTo(2);
        assertThat(fx.events("stored_value.paid")).isZero();
    }

    /** F2 and the other function keys work whatever has the focus; Esc with the receipt shown puts only the receipt away. */
    @Test
    void f2CompletesTheSaleFromTheCouponsListAndEscPutsTheReceiptAwayKeepingTheMember(FxRobot robot) throws TimeoutException {
        openSignedInWithLiScanned(robot);
        waitUntil(() -> !texts(robot, ".suggestion-title").isEmpty());
        robot.write("80");

        robot.clickOn(".suggestion-title");
        assertThat(robot.lookup("#suggestionsList").query().isFocused()).isTrue();
        robot.type(KeyCode.F2);
        waitUntil(() -> text(robot, "#receiptLabel").startsWith("Receipt "));
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
        waitUntil(() -> robot.lookup(".paper").tryQuery().map(CounterWindowTest::shown).orElse(false));

        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> !shown(robot.lookup(".paper").query()));
        assertThat(text(robot, "#nameLabel")).as("the member stays on the counter").isEqualTo("李雷");
        robot.clickOn("#saleAmountField").type(KeyCode.ESCAPE);
        waitUntil(() -> text(robot, "#nameLabel").isEmpty());
    }

    /**
     * A large amount goes through on a second Enter in the amount field, not the first; Esc there takes the question
     * back and keeps the member and the amount to correct.
     */
    @Test
    void aLargeSaleAsksForASecondEnterAndEscKeepsItToCorrect(FxRobot robot) throws TimeoutException {
        openSignedInWithLiScanned(robot);
        // amounts put in the field as typed (typed quickly by the robot, they would be taken for a scan); the keys are real
        TextField amount = robot.lookup("#saleAmountField").queryAs(TextField.class);
        waitUntil(amount::isFocused);
        robot.interact(() -> amount.setText("12345"));
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#messageLabel").startsWith("¥12,345.00 is a large amount"));
        assertThat(fx.events("checkout.completed")).isZero();

        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> text(robot, "#messageLabel").startsWith("Not completed"));
        assertThat(text(robot, "#nameLabel")).isEqualTo("李雷");
        assertThat(amount.getText()).isEqualTo("12345");

        robot.interact(() -> amount.setText("1234.5"));
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#receiptLabel").contains("¥1,234.50"));
        assertThat(fx.events("checkout.completed")).as("a normal amount: one Enter").isEqualTo(1);

        robot.interact(() -> amount.setText("20000"));
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#messageLabel").startsWith("¥20,000.00 is a large amount"));
        assertThat(fx.events("checkout.completed")).isEqualTo(1);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> fx.events("checkout.completed") == 2);
    }

    /** The status bar of a 1280 × 720 window shows each of its labels and buttons whole: nothing ends in "…". */
    @Test
    void theStatusBarFitsA1280By720WindowInEnglish(FxRobot robot) throws Exception {
        open(Locale.ENGLISH);
        assertStatusBarWholeAt1280By720(robot);
    }

    @Test
    void theStatusBarFitsA1280By720WindowInChinese(FxRobot robot) throws Exception {
        open(Locale.SIMPLIFIED_CHINESE);
        assertStatusBarWholeAt1280By720(robot);
    }

    private void assertStatusBarWholeAt1280By720(FxRobot robot) throws Exception {
        robot.interact(() -> window.viewModel().statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN));
        waitUntil(() -> text(robot, "#staffLabel").contains("林店长"));
        // the longest line sync shows day to day: offline since the last sync, with events waiting; and the scanner
        // settings, printer and close-of-day buttons all there
        robot.interact(() -> window.viewModel().onSyncStatus(
                new dev.counterpoint.sync.SyncStatus(false, true, fx.clock.instant(), 1_234, 0)));
        FxToolkit.setupStage(stage -> {
            stage.setWidth(1280);
            stage.setHeight(720);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Node bar = robot.lookup("#statusBar").query();
        List<String> checked = new java.util.ArrayList<>();
        List<String> cut = WaitForAsyncUtils.asyncFx(() -> {
            bar.getScene().getRoot().applyCss();
            bar.getScene().getRoot().layout();
            List<String> out = new java.util.ArrayList<>();
            for (Labeled l : labeleds(bar)) {
                if (!l.isVisible() || l.getText() == null || l.getText().isEmpty()) {
                    continue;
                }
                checked.add(l.getText());
                // what the skin draws: the text itself, or a shortened one ending in "…"
                Text shown = (Text) l.lookup(".text");
                double right = l.localToScene(l.getLayoutBounds()).getMaxX();
                if (shown == null || !shown.getText().equals(l.getText()) || right > bar.getScene().getWidth() + 0.5) {
                    out.add(l.getText() + " → " + (shown == null ? null : shown.getText()));
                }
            }
            return out;
        }).get();
        assertThat(bar.getScene().getWidth()).isLessThanOrEqualTo(1280);
        assertThat(checked).as("the status bar's texts").hasSizeGreaterThanOrEqualTo(7)
                .anyMatch(t -> t.contains("1,234") || t.contains("1234"));
        assertThat(cut).as("status bar texts cut short").isEmpty();
    }

    /** Every label and button under {@code node}. */
    private static List<Labeled> labeleds(Node node) {
        List<Labeled> out = new java.util.ArrayList<>();
        if (node instanceof Labeled l) {
            out.add(l);
        }
        if (node instanceof javafx.scene.Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> out.addAll(labeleds(c)));
        }
        return out;
    }

    /** The English window, the manager signed in, and 李雷 scanned into the amount field as a scanner types. */
    private void openSignedInWithLiScanned(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);
        signInAsManager(robot);
        robot.clickOn("#saleAmountField");
        robot.write(fx.li.cardCode(), 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#nameLabel").equals("李雷"));
    }

    /** The manager signs in from the status bar (English window). */
    private void signInAsManager(FxRobot robot) throws TimeoutException {
        robot.clickOn("#signInButton");
        waitUntil(() -> robot.lookup("#signInIdField").tryQuery().isPresent());
        robot.clickOn("#signInIdField").write(CounterFixture.MANAGER);
        robot.clickOn("#signInPinField").write(CounterFixture.MANAGER_PIN).type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#staffLabel").equals("Signed in: 林店长 (lin)"));
    }

    /** The node and every parent of it visible. */
    private static boolean shown(javafx.scene.Node node) {
        for (javafx.scene.Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A message of another kind keeps the message line's font and padding through the layout the counter makes straight
     * after a result, before any CSS pass: the line, and the columns under it, keep their place.
     */
    @Test
    void aMessageOfAnotherKindKeepsTheMessageLinesSizeThroughTheLayoutBeforeTheNextPulse(FxRobot robot) throws Exception {
        open(Locale.ENGLISH);
        Label line = robot.lookup("#messageLabel").queryAs(Label.class);
        Node columns = robot.lookup(".columns").query();
        record Seen(double fontSize, double lineHeight, double columnsY) {
        }
        Seen before = WaitForAsyncUtils.asyncFx(() -> new Seen(line.getFont().getSize(), line.getHeight(),
                columns.getLayoutY())).get();
        Seen after = WaitForAsyncUtils.asyncFx(() -> {
            window.viewModel().messages().error(new dev.counterpoint.shared.UserMessage("counter.error.noMember"));
            window.scene().getRoot().layout();
            return new Seen(line.getFont().getSize(), line.getHeight(), columns.getLayoutY());
        }).get();
        assertThat(before.fontSize()).isEqualTo(15);
        assertThat(after).isEqualTo(before);
        assertThat(line.getPseudoClassStates()).contains(javafx.css.PseudoClass.getPseudoClass("error"))
                .doesNotContain(javafx.css.PseudoClass.getPseudoClass("info"));
    }

    /**
     * The preview keeps the labels of a longer receipt, hidden, for the next one: each is styled once, not again after
     * every shorter receipt.
     */
    @Test
    void aShorterReceiptAfterALongerOneShowsItsRowsOnTheLongersLabels(FxRobot robot) throws Exception {
        open(Locale.ENGLISH);
        var ctx = fx.ctx;
        var manager = ctx.staffAccounts().authenticate(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        var receipts = window.receipts();
        List<dev.counterpoint.history.PurchaseLine> lines = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            lines.add(new dev.counterpoint.history.PurchaseLine("SKU-" + i, null, 1, 1_000L * i));
        }
        CheckoutReceipt longer = ctx.checkouts().complete(new CheckoutRequest(fx.li.id(), null, lines,
                CheckoutRequest.CouponChoice.NONE, 0, 0), manager);
        CheckoutReceipt shorter = ctx.checkouts().complete(new CheckoutRequest(fx.li.id(), 1_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), manager);

        WaitForAsyncUtils.asyncFx(() -> receipts.checkedOut(longer)).get();
        waitUntil(() -> receipts.shownProperty().get() == 1);
        // the paper sits in a scroll pane, whose content joins the scene graph with its skin, at the next pulse
        waitUntil(() -> robot.lookup(".paper").tryQuery().isPresent());
        javafx.scene.layout.VBox paper = robot.lookup(".paper").queryAs(javafx.scene.layout.VBox.class);
        List<Node> longersLabels = WaitForAsyncUtils.asyncFx(() -> List.copyOf(paper.getChildren())).get();
        int longersRows = WaitForAsyncUtils.asyncFx(() -> receipts.rows().size()).get();

        WaitForAsyncUtils.asyncFx(() -> receipts.checkedOut(shorter)).get();
        waitUntil(() -> receipts.shownProperty().get() == 2);
        WaitForAsyncUtils.asyncFx(() -> {
            int rows = receipts.rows().size();
            assertThat(rows).isLessThan(longersRows);
            assertThat(paper.getChildren()).containsExactlyElementsOf(longersLabels);
            assertThat(paper.getChildren().subList(0, rows)).allMatch(n -> n.isVisible() && n.isManaged());
            assertThat(paper.getChildren().subList(rows, longersRows)).noneMatch(n -> n.isVisible() || n.isManaged());
            assertThat(((Label) paper.getChildren().get(0)).getText()).isEqualTo(receipts.rows().get(0).text());
            // each row in its face as printed (bold, double size), on labels that held other rows' faces before
            paper.applyCss();
            List<dev.counterpoint.receipt.ReceiptPreviewViewModel.PreviewRow> shown = receipts.rows();
            assertThat(shown).anyMatch(r -> r.large()).anyMatch(r -> r.bold() && !r.large())
                    .anyMatch(r -> !r.bold() && !r.large());
            javafx.scene.text.Font plain = ((Label) paper.getChildren().get(shown.indexOf(shown.stream()
                    .filter(r -> !r.bold() && !r.large()).findFirst().orElseThrow()))).getFont();
            assertThat(plain.getSize()).isEqualTo(15);
            for (int i = 0; i < rows; i++) {
                var row = shown.get(i);
                assertThat(((Label) paper.getChildren().get(i)).getFont()).as("row %d, %s", i, row)
                        .isEqualTo(javafx.scene.text.Font.font(plain.getFamily(), row.bold()
                                ? javafx.scene.text.FontWeight.BOLD : javafx.scene.text.FontWeight.NORMAL,
                                row.large() ? 30 : 15));
            }
        }).get();
        assertThat(texts(robot, ".paper .label")).hasSize(WaitForAsyncUtils.asyncFx(() -> receipts.rows().size()).get());
    }

    @Test
    void anUnknownCardOfTheStoreIsEnrolledWithThatCard(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);
        robot.write("2999999999991", 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#enrolPane").query().isVisible());
        assertThat(text(robot, "#enrolCardLabel")).isEqualTo("The card in their hand, 2999999999991, becomes theirs on enrolment.");
        assertThat(robot.lookup("#placeholder").query().isVisible()).isFalse();

        robot.clickOn("#enrolNameField").write("张伟");
        robot.clickOn("#enrolPhoneField").write("13700002222");
        robot.clickOn("#enrolPrivacyCheck");
        robot.clickOn("#enrolButton");

        waitUntil(() -> text(robot, "#cardLabel").equals("2999999999991"));
        assertThat(text(robot, "#nameLabel")).isEqualTo("张伟");
        assertThat(robot.lookup("#enrolPane").query().isVisible()).isFalse();
        assertThat(javafx.stage.Window.getWindows()).as("no QR card to print: the card is in their hand").hasSize(1);
    }

    @Test
    void theBusyLabelShowsOnlyForWorkThatLasts(FxRobot robot) throws TimeoutException {
        fx = new CounterFixture(dir, Locale.ENGLISH, WEDGE);
        // The counter's first background task reads the rules file through TerminalWiring.rulesFileProblems, which is
        // synchronized: while this test holds the context's monitor, that task lasts.
        synchronized (fx.ctx) {
            showWindow();
            waitUntil(() -> window.viewModel().statusBar().busyProperty().get()
                    && robot.lookup("#busyLabel").queryAs(Label.class).isVisible());
        }
        waitUntil(() -> !robot.lookup("#busyLabel").queryAs(Label.class).isVisible());

        List<Boolean> shown = new CopyOnWriteArrayList<>();
        robot.lookup("#busyLabel").queryAs(Label.class).visibleProperty().addListener((o, was, now) -> shown.add(now));
        for (var member : List.of(fx.wang, fx.li)) {
            robot.write(member.cardCode(), 0);
            robot.type(KeyCode.ENTER);
            waitUntil(() -> text(robot, "#cardLabel").equals(member.cardCode()) && !window.viewModel().statusBar().busyProperty().get());
        }
        assertThat(shown).as("a scan's lookup (milliseconds) never shows the busy label").isEmpty();
    }

    @Test
    void slowTypingInTheSearchFieldIsNotTakenAsAScan(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);
        TextField search = robot.lookup("#searchField").queryAs(TextField.class);
        robot.clickOn(search);

        robot.write("5678", (int) SLOW_KEY_MILLIS);
        waitUntil(() -> "5678".equals(search.getText()));
        assertThat(text(robot, "#lastScanLabel")).isEmpty();

        robot.type(KeyCode.ENTER);

        // name and message are set in one FX step; wait for both rather than read between them
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳") && text(robot, "#messageLabel").equals("Member found: 王芳"));
        assertThat(text(robot, "#lastScanLabel")).as("found by search, not by a scan").isEmpty();
    }

    @Test
    void f9OpensTheRuleEditorWhichAManagerUnlocksAndSavesANewVersion(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);

        robot.type(KeyCode.F9);
        waitUntil(() -> robot.lookup("#pinField").tryQuery().isPresent());
        robot.clickOn("#managerIdField").write(CounterFixture.MANAGER);
        robot.clickOn("#pinField").write(CounterFixture.MANAGER_PIN).type(KeyCode.ENTER);
        waitUntil(() -> "1000".equals(robot.lookup("#silverField").queryAs(TextField.class).getText()));

        robot.clickOn("#silverField").type(KeyCode.END).eraseText(4).write("800");
        robot.clickOn("#saveButton");

        waitUntil(() -> "Version 3 is now in force.".equals(text(robot, "#editorMessageLabel")));
        assertThat(fx.ctx.ruleSetService().active().threshold(dev.counterpoint.protocol.Tier.SILVER)).isEqualTo(80_000);
        assertThat(fx.events("rules.changed")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_log WHERE action = 'RULES_CHANGED' AND staff_id = ?",
                CounterFixture.MANAGER)).isEqualTo(1);
        robot.clickOn("#closeButton");
    }

    @Test
    void aSignedInManagerAddsAnOwnTagFromTheMemberPanelAndItShowsApart(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);
        signInAsManager(robot);
        robot.clickOn("#saleAmountField");
        robot.write(fx.wang.cardCode(), 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳"));

        robot.clickOn("#editTagsButton");
        waitUntil(() -> robot.lookup("#tagEditor").query().isVisible());
        assertThat(robot.lookup("#approvalBox").query().isVisible()).as("the manager is signed in").isFalse();
        robot.clickOn("#tagField").write("素食").type(KeyCode.ENTER);
        waitUntil(() -> texts(robot, ".tag-custom").equals(List.of("素食")));
        assertThat(texts(robot, ".tag")).containsAll(window.viewModel().memberPanel().tags()).contains("素食");
        assertThat(fx.ctx.memberTags().of(fx.wang.id())).containsExactly("素食");
    }

    @Test
    void theMemberHeadStaysWholeBesideTagsAndRemovingATagKeepsTheCursorInTheEditor(FxRobot robot)
            throws TimeoutException {
        open(Locale.SIMPLIFIED_CHINESE);
        robot.clickOn("#signInButton");
        waitUntil(() -> robot.lookup("#signInIdField").tryQuery().isPresent());
        robot.clickOn("#signInIdField").write(CounterFixture.MANAGER);
        robot.clickOn("#signInPinField").write(CounterFixture.MANAGER_PIN).type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#staffLabel").contains(CounterFixture.MANAGER));
        robot.clickOn("#saleAmountField");
        robot.write(fx.wang.cardCode(), 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳"));

        robot.clickOn("#editTagsButton");
        waitUntil(() -> robot.lookup("#tagEditor").query().isVisible());
        robot.clickOn("#tagField").write("咖啡控").type(KeyCode.ENTER);
        waitUntil(() -> texts(robot, ".tag-custom").equals(List.of("咖啡控")));
        robot.write("VIP").type(KeyCode.ENTER);
        waitUntil(() -> texts(robot, ".tag-custom").size() == 2);
        for (String head : List.of("#nameLabel", "#tierLabel", "#showCardButton", "#editTagsButton")) {
            Labeled l = robot.lookup(head).queryAs(Labeled.class);
            assertThat(shownText(l)).as(head + " is not cut short").isEqualTo(l.getText());
        }

        robot.clickOn(robot.lookup(".tag-remove").queryAllAs(Button.class).stream()
                .filter(b -> b.getText().contains("VIP")).findFirst().orElseThrow());
        waitUntil(() -> texts(robot, ".tag-custom").equals(List.of("咖啡控")));
        assertThat(robot.lookup("#tagField").query().isFocused()).as("the cursor stays in the tag field").isTrue();
    }

    /** What a label or button actually draws: its text node's text, "…"-shortened when it does not fit. */
    private static String shownText(Labeled l) {
        return l.lookupAll(".text").stream().filter(n -> n instanceof Text).map(n -> ((Text) n).getText())
                .findFirst().orElse("");
    }

    private static String text(FxRobot robot, String query) {
        String t = robot.lookup(query).queryAs(Label.class).getText();
        return t == null ? "" : t;
    }

    /** Texts of the visible labels with a style class, top to bottom. */
    private static List<String> texts(FxRobot robot, String styleClass) {
        return robot.lookup(styleClass).queryAllAs(Label.class).stream()
                .filter(Node::isVisible)
                .filter(l -> l.getText() != null && !l.getText().isEmpty())
                .sorted(java.util.Comparator.comparingDouble(l -> l.localToScene(0, 0).getY()))
                .map(Label::getText)
                .toList();
    }

    private static void waitUntil(Supplier<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.get();
        });
    }
}
