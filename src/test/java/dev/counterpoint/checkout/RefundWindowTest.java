package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.CounterWindow;
import dev.counterpoint.shared.Money;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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
 * The void and refund screen in the real counter window, driven headless: a checkout rung up at the counter, then
 * taken back (a line, or the whole of it) from the screen F6 opens, with the manager's staff id and PIN typed there.
 */
@ExtendWith(ApplicationExtension.class)
class RefundWindowTest {
    private static final String WEDGE = "wedge.maxGapMillis=500\nwedge.minLength=4\n";

    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterWindow window;

    private void open(Locale locale) throws TimeoutException {
        fx = new CounterFixture(dir, locale, WEDGE);
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

    /**
     * The manager signs in and rings up 王芳's beans (¥88) and two milks (¥24), ¥20 of it from stored value; returns the
     * receipt number.
     */
    private String checkout(FxRobot robot) throws TimeoutException {
        robot.clickOn("#signInButton");
        waitUntil(() -> robot.lookup("#signInIdField").tryQuery().isPresent());
        robot.clickOn("#signInIdField").write(CounterFixture.MANAGER);
        robot.clickOn("#signInPinField").write(CounterFixture.MANAGER_PIN).type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#staffLabel").contains("林店长"));
        robot.write(fx.wang.cardCode(), 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳"));

        robot.clickOn("#lineSkuField").write("BEAN-YIRG");
        robot.clickOn("#lineAmountField").write("88");
        robot.clickOn("#addLineButton");
        robot.clickOn("#lineSkuField").write("MILK-1L");
        robot.doubleClickOn("#lineQtyField").write("2");
        robot.clickOn("#lineAmountField").write("24");
        robot.clickOn("#addLineButton");
        waitUntil(() -> "112.00".equals(robot.lookup("#saleAmountField").queryAs(TextField.class).getText()));
        robot.clickOn("#storedValueField").write("20");
        robot.clickOn("#payStoredValueButton");
        robot.type(KeyCode.F2);
        waitUntil(() -> fx.count("SELECT COUNT(*) FROM checkout") == 1 && text(robot, "#storedValueLabel").equals("¥80.00"));
        return fx.ctx.refunds().lastReceiptNo().orElseThrow();
    }

    /** F6: the screen, with this till's last checkout on it. */
    private void openScreen(FxRobot robot, String receiptNo) throws TimeoutException {
        robot.type(KeyCode.F6);
        waitUntil(() -> robot.lookup("#receiptField").tryQuery().isPresent()
                && receiptNo.equals(robot.lookup("#receiptField").queryAs(TextField.class).getText())
                && text(robot, "#refundReceiptLabel").contains(receiptNo));
    }

    /** From the receipt number, Tab goes to the lines, whose first is then selected, and Space ticks it. */
    private static void tickFirstLine(FxRobot robot) {
        robot.clickOn("#receiptField").type(KeyCode.TAB).type(KeyCode.SPACE);
    }

    private void approve(FxRobot robot, String pin) {
        robot.clickOn("#refundManagerIdField").write(CounterFixture.MANAGER);
        robot.clickOn("#refundPinField").write(pin).type(KeyCode.ENTER);
    }

    private long points() {
        return fx.count("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", fx.wang.id());
    }

    private long storedValue() {
        return fx.count("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", fx.wang.id());
    }

    @Test
    void aLineIsRefundedFromTheScreenWithTheManagersApprovalAndTheBalancesGoBack(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);
        assertThat(robot.lookup("#refundButton").queryAs(Button.class).getText()).isEqualTo("Void / refund [F6]");
        String receipt = checkout(robot);
        String pointsAfterSale = text(robot, "#pointsLabel");

        openScreen(robot, receipt);
        assertThat(text(robot, "#cashierLabel")).isEqualTo("Cashier: 林店长 (lin)");
        assertThat(text(robot, "#memberLabel")).isEqualTo("Member 王芳 · card " + fx.wang.cardCode());
        tickFirstLine(robot);
        waitUntil(() -> texts(robot, ".figure-value").size() >= 3);
        assertThat(texts(robot, ".figure-value")).startsWith("¥88.00", "¥72.29", "¥15.71");
        assertThat(fx.count("SELECT COUNT(*) FROM refund")).isZero();

        approve(robot, CounterFixture.MANAGER_PIN);

        waitUntil(() -> text(robot, "#refundMessageLabel").startsWith("Refund "));
        waitUntil(() -> robot.lookup("#receiptField").query().isFocused()); // ready for the next receipt's scan
        assertThat(fx.count("SELECT COUNT(*) FROM refund WHERE kind = 'REFUND' AND manager_id = ?", CounterFixture.MANAGER))
                .isEqualTo(1);
        assertThat(storedValue()).isEqualTo(8_000 + 1_571);
        // The member panel behind the screen shows the balances given back; the refund receipt is in the preview.
        waitUntil(() -> window.viewModel().memberPanel().storedValueProperty().get().equals("¥95.71"));
        assertThat(window.viewModel().memberPanel().pointsProperty().get())
                .isEqualTo(String.format(Locale.ENGLISH, "%,d", points())).isNotEqualTo(pointsAfterSale);
        waitUntil(() -> texts(robot, ".paper .label").stream().anyMatch(t -> t.strip().equals("REFUND")));
        assertThat(texts(robot, ".paper .label")).anySatisfy(t -> assertThat(t).matches("Stored value back +¥15\\.71"));

        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> robot.lookup("#receiptField").tryQuery().isEmpty());
        assertThat(window.viewModel().messages().messageProperty().get()).startsWith("Refund ").contains(receipt);
    }

    @Test
    void aVoidFromTheScreenTakesTheWholeCheckoutBack(FxRobot robot) throws TimeoutException {
        open(Locale.ENGLISH);
        long pointsBefore = points();
        String receipt = checkout(robot);
        openScreen(robot, receipt);

        robot.clickOn("#voidRadio");
        waitUntil(() -> texts(robot, ".figure-value").contains("¥112.00"));
        assertThat(robot.lookup("#confirmButton").queryAs(Button.class).getText()).isEqualTo("Void [Enter]");
        approve(robot, CounterFixture.MANAGER_PIN);

        waitUntil(() -> text(robot, "#refundMessageLabel").startsWith("Receipt " + receipt + " voided"));
        assertThat(fx.count("SELECT COUNT(*) FROM refund WHERE kind = 'VOID'")).isEqualTo(1);
        assertThat(points()).isEqualTo(pointsBefore);
        assertThat(storedValue()).isEqualTo(10_000);
        waitUntil(() -> window.viewModel().memberPanel().storedValueProperty().get().equals("¥100.00"));
        assertThat(window.viewModel().memberPanel().pointsProperty().get()).isEqualTo("200");
        waitUntil(() -> texts(robot, ".paper .label").stream().anyMatch(t -> t.strip().equals("VOID")));
        assertThat(robot.lookup("#voidRadio").query().isDisabled()).as("nothing is left to void").isTrue();
    }

    @Test
    void aWrongManagerPinSaysSoAndChangesNothing(FxRobot robot) throws TimeoutException {
        open(Locale.SIMPLIFIED_CHINESE);
        String receipt = checkout(robot);
        long points = points();
        long storedValue = storedValue();
        long events = fx.count("SELECT COUNT(*) FROM outbox_event");
        openScreen(robot, receipt);
        tickFirstLine(robot);
        waitUntil(() -> !texts(robot, ".figure-value").isEmpty());

        approve(robot, "999999");

        waitUntil(() -> text(robot, "#refundMessageLabel").equals("lin 的密码错误：再错 4 次账号将被锁定。"));
        assertThat(robot.lookup("#refundPinField").queryAs(TextField.class).getText()).isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM refund")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
        assertThat(points()).isEqualTo(points);
        assertThat(storedValue()).isEqualTo(storedValue);
        assertThat(fx.count("SELECT failed_attempts FROM staff WHERE id = ?", CounterFixture.MANAGER)).isEqualTo(1);
        assertThat(window.viewModel().memberPanel().storedValueProperty().get()).isEqualTo("¥80.00");
        assertThat(robot.lookup("#confirmButton").queryAs(Button.class).isDisabled()).as("another try may follow").isFalse();
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
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.get();
        });
    }
}
