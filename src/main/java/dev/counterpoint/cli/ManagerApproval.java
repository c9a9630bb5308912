package dev.counterpoint.cli;

import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * What a command that needs a member of staff asks first: their staff id (an option) and PIN (a line of standard input,
 * never an argument), checked as the counter checks it (wrong PINs counted, the account locked after five).
 */
final class ManagerApproval {
    private ManagerApproval() {}

    /** The manager {@code managerId}, if the next line of standard input is their PIN; when not, says why on {@code err}. */
    static Optional<Staff> manager(StaffAccounts staffAccounts, CommandRoot root, String managerId, PrintWriter err,
                                   ResourceBundle b) {
        return staff(staffAccounts, root, managerId, StaffRole.MANAGER, err, b);
    }

    /** The member of staff {@code id} with at least role {@code needed}, if the next line of standard input is their PIN. */
    static Optional<Staff> staff(StaffAccounts staffAccounts, CommandRoot root, String id, StaffRole needed,
                                 PrintWriter err, ResourceBundle b) {
        if (id == null || id.isBlank()) {
            err.println(new UserMessage("cli.staff.idRequired").format(b));
            return Optional.empty();
        }
        String pin = root.readPin(new UserMessage("cli.staff.pinPrompt", id).format(b) + " ");
        if (pin == null || pin.isEmpty()) {
            err.println(new UserMessage("cli.staff.pinMissing", id).format(b));
            return Optional.empty();
        }
        try {
            return Optional.of(staffAccounts.authenticate(id.strip(), pin, needed));
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(b));
            return Optional.empty();
        }
    }
}
