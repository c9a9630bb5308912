package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.CounterWindow;
import dev.counterpoint.scan.ScannerSettings;
import dev.counterpoint.scan.Socat;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.Scene;
import javafx.scene.Node;
import javafx.event.Event;
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
 * The real counter window with a serial scanner on a socat pty and a wedge scanner set up with a
 * prefix and Tab: both end up in the same member panel; unplugging shows in the status bar.
 */
@ExtendWith(ApplicationExtension.class)
class ScannersInTheWindowTest {
    private static final String WEDGE = "wedge.maxGapMillis=500\nwedge.minLength=4\n";

    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterWindow window;
    private Socat socat;

    private void open(ScannerSettings settings) throws TimeoutException {
        settings.save(dir);
        fx = new CounterFixture(dir, Locale.ENGLISH, WEDGE);
        FxToolkit.setupStage(stage -> {
            window = CounterWindow.create(fx.ctx.counter());
            stage.setScene(window.scene());
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
    void close() throws Exception {
        // the counter and any card window it opened
        FxToolkit.setupFixture(() -> java.util.List.copyOf(javafx.stage.Window.getWindows()).forEach(javafx.stage.Window::hide));
        if (window != null) {
            FxToolkit.setupFixture(window::close);
        }
        if (fx != null) {
            fx.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void aSerialScanShowsTheMemberAndUnplugReplugShowsInTheStatusBar(FxRobot robot) throws Exception {
        socat = new Socat(dir).plugIn();
        String port = socat.scannerSide.toString();
        open(ScannerSettings.defaults().withSerial(port, 9600));
        waitUntil(() -> text(robot, "#scannerLabel").equals("Scanner " + port + " connected"));

        socat.write(fx.wang.cardCode().substring(0, 6));
        socat.write(fx.wang.cardCode().substring(6) + "\r");
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳"));
        assertThat(text(robot, "#lastScanLabel")).isEqualTo(fx.wang.cardCode());

        socat.write("29000\u0007\r");
        waitUntil(() -> text(robot, "#messageLabel")
                .equals("The scan contains control characters or unreadable bytes: scan again"));
        assertThat(text(robot, "#nameLabel")).as("a garbled read leaves the member shown").isEqualTo("王芳");

        socat.unplug();
        // text and style change in one FX step: wait for both rather than read between them
        waitUntil(() -> text(robot, "#scannerLabel").equals("Scanner " + port + " unplugged: waiting for it to come back")
                && robot.lookup("#scannerLabel").queryAs(Label.class).getPseudoClassStates()
                        .contains(javafx.css.PseudoClass.getPseudoClass("problem")));

        socat = new Socat(dir).plugIn();
        waitUntil(() -> text(robot, "#scannerLabel").equals("Scanner " + port + " connected"));
        socat.write(fx.li.cardCode() + "\r");
        waitUntil(() -> text(robot, "#nameLabel").equals("李雷"));
    }

    @Test
    void aWedgeScannerWithPrefixAndTabIsAScanAndTheFieldStaysEmpty(FxRobot robot) throws Exception {
        open(new ScannerSettings("", 9600, 8, ScannerSettings.Parity.NONE, ScannerSettings.StopBits.ONE,
                ScannerSettings.Framing.CR, "", "", "]C1", "", ScannerSettings.WedgeTerminator.TAB));
        assertThat(text(robot, "#scannerLabel")).isEqualTo("Serial scanner: off");
        TextField search = robot.lookup("#searchField").queryAs(TextField.class);
        robot.clickOn(search);

        robot.write("]C1" + fx.wang.cardCode(), 0);
        robot.type(KeyCode.TAB);

        waitUntil(() -> text(robot, "#nameLabel").equals("王芳"));
        assertThat(search.getText()).isEmpty();
        // The scanner's Tab did not move the focus on (to the search button); the member shown gave it to the amount.
        waitUntil(() -> robot.lookup("#saleAmountField").query().isFocused());
        assertThat(robot.lookup("#searchButton").tryQuery().map(n -> n.isFocused()).orElse(false)).isFalse();
    }

    @Test
    void theQrCardOpensFromThePanelAndAScanWhileItIsUpStillReachesTheCounter(FxRobot robot) throws Exception {
        open(ScannerSettings.defaults());
        robot.write(fx.wang.cardCode(), 0);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> text(robot, "#nameLabel").equals("王芳"));

        robot.clickOn("#showCardButton");
        waitUntil(() -> robot.lookup(".card-code").tryQuery().isPresent());
        assertThat(robot.lookup(".card-code").queryAs(Label.class).getText()).isEqualTo(fx.wang.cardCode());
        javafx.stage.Window card = robot.lookup(".card-code").queryAs(Label.class).getScene().getWindow();
        assertThat(card.isFocused()).isTrue();

        // Straight into the card's scene, as its keyboard would deliver them: Monocle routes robot key presses to
        // whichever window it last thought focused (after other UI tests, a hidden one), not to the card.
        Scene cardScene = card.getScene();
        robot.interact(() -> {
            Node target = cardScene.getFocusOwner() != null ? cardScene.getFocusOwner() : cardScene.getRoot();
            for (char c : fx.li.cardCode().toCharArray()) {
                Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_TYPED, String.valueOf(c), "", KeyCode.UNDEFINED,
                        false, false, false, false));
            }
            Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.ENTER, false, false, false, false));
        });
        waitUntil(() -> text(robot, "#nameLabel").equals("李雷"));
    }

    /** A label of the counter window itself: the QR card window has a #nameLabel and #messageLabel too. */
    private String text(FxRobot robot, String query) {
        String t = robot.from(window.scene().getRoot()).lookup(query).queryAs(Label.class).getText();
        return t == null ? "" : t;
    }

    private static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition);
    }
}
