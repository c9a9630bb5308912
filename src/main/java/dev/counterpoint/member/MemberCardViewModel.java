package dev.counterpoint.member;

import com.google.zxing.common.BitMatrix;
import dev.counterpoint.scan.QrCodes;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's QR card: the QR carries the card code (a printed card cannot rotate; the phone shows the
 * signed rotating code instead), shown large, saved as PNG, printed. The view draws {@link #matrix()}.
 */
public final class MemberCardViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(MemberCardViewModel.class);
    /** Pixels of the on-screen and saved QR: big enough for any scanner at arm's length. */
    public static final int QR_SIZE = 360;

    private final MemberCard card;
    private final ResourceBundle bundle;
    private final BitMatrix matrix;
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty(false);

    public MemberCardViewModel(MemberCard card, Locale locale) {
        this.card = card;
        this.bundle = Messages.bundle(locale);
        this.matrix = QrCodes.matrix(card.cardCode(), QR_SIZE);
    }

    public BitMatrix matrix() {
        return matrix;
    }

    public String name() {
        return card.name();
    }

    public String cardCode() {
        return card.cardCode();
    }

    /** A file name to offer in the save dialog. */
    public String suggestedFileName() {
        return "member-" + card.cardCode() + ".png";
    }

    public void savePng(Path file) {
        try {
            QrCodes.writePng(card.cardCode(), QR_SIZE, file);
            say(false, new UserMessage("member.card.saved", file.toString()));
        } catch (UncheckedIOException e) {
            LOG.warn("cannot save member card {}", file, e);
            say(true, new UserMessage("member.card.saveFailed", file.toString()));
        }
    }

    /** How printing went, as the view reports it. */
    public void printed(boolean ok) {
        say(!ok, new UserMessage(ok ? "member.card.printed" : "member.card.printFailed"));
    }

    public void noPrinter() {
        say(true, new UserMessage("member.card.noPrinter"));
    }

    private void say(boolean error, UserMessage m) {
        messageIsError.set(error);
        message.set(m.format(bundle));
    }

    public ResourceBundle bundle() { return bundle; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public ReadOnlyBooleanProperty messageIsErrorProperty() { return messageIsError; }
}
