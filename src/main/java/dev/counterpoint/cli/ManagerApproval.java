package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import java.io.PrintWriter;
import java.util.ResourceBundle;

/** What a command that needs the manager's approval asks first: the manager PIN (store.ManagerPin). */
final class ManagerApproval {
    /** Exit code when the PIN is not set or wrong. */
    static final int EXIT_PIN = 5;

    private ManagerApproval() {}

    /** Whether {@code pin} is the manager's; when not, says why on {@code err}. */
    static boolean approved(AppContext ctx, String pin, PrintWriter err, ResourceBundle b) {
        if (!ctx.managerPin().isSet()) {
            err.println(b.getString("counter.rules.pinNotSet"));
            return false;
        }
        if (!ctx.managerPin().verify(pin)) {
            err.println(b.getString("counter.rules.pinWrong"));
            return false;
        }
        return true;
    }
}
