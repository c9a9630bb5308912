package dev.counterpoint.cli;

import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccount;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "staff", description = "Staff accounts at this terminal: cashiers, managers and owners, each with a PIN.",
        subcommands = {StaffCommand.Add.class, StaffCommand.Pin.class, StaffCommand.ListAccounts.class})
public final class StaffCommand {
    @ParentCommand
    CommandRoot root;

    @Command(name = "add", description = {"Add a staff account for this store.",
            "The store's first account is a manager and needs no approval (standard input: its new PIN); later ones need --by,",
            "a manager (standard input: that manager's PIN, then the new PIN). Only an owner adds an owner. A PIN is 6 to 12",
            "digits.",
            "Exit 0 added, 1 refused, 5 approving manager unknown, locked or PIN wrong."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        StaffCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The staff id (letters, digits, '.', '_' or '-').")
        String id;

        @Option(names = "--name", required = true, description = "The person's name.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "cashier|manager|owner", description = "What they may do.")
        String role;

        @Option(names = "--by", paramLabel = "MANAGER_ID", description = "The manager who approves (not for the first account).")
        String by;

        @Override
        public Integer call() {
            try (TerminalWiring wiring = parent.root.openWiring()) {
                return add(wiring.staffAccounts());
            }
        }

        /** The new account, with the staff accounts alone. */
        int add(StaffAccounts staffAccounts) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ResourceBundle b = Messages.bundle(parent.root.locale());
            StaffRole r;
            try {
                r = StaffRole.valueOf(role.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println(new UserMessage("cli.staff.badRole", role).format(b));
                return ExitCodes.USAGE;
            }
            try {
                Staff added;
                if (by == null) {
                    if (staffAccounts.any()) {
                        err.println(new UserMessage("staff.error.needsApproval").format(b));
                        return ExitCodes.REFUSED;
                    }
                    String pin = parent.root.readPin(new UserMessage("cli.staff.newPinPrompt", id).format(b) + " ");
                    added = staffAccounts.addFirst(id, name, r, pin);
                } else {
                    Optional<Staff> manager = ManagerApproval.manager(staffAccounts, parent.root, by, err, b);
                    if (manager.isEmpty()) {
                        return ExitCodes.NOT_APPROVED;
                    }
                    String pin = parent.root.readPin(new UserMessage("cli.staff.newPinPrompt", id).format(b) + " ");
                    added = staffAccounts.add(manager.get(), id, name, r, pin);
                }
                out.println(new UserMessage("cli.staff.added", added.id(), added.name(),
                        new UserMessage(added.role().messageKey())).format(b));
                return ExitCodes.OK;
            } catch (BusinessRuleException e) {
                err.println(e.userMessage().format(b));
                return ExitCodes.REFUSED;
            }
        }
    }

    @Command(name = "pin", description = {"Change your own PIN.",
            "Standard input: the old PIN, then the new one, 6 to 12 digits.",
            "Exit 0 changed, 1 refused (the new PIN's form), 5 unknown, locked or old PIN wrong."})
    static final class Pin implements Callable<Integer> {
        @ParentCommand
        StaffCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "Your staff id.")
        String id;

        @Override
        public Integer call() {
            try (TerminalWiring wiring = parent.root.openWiring()) {
                return changePin(wiring.staffAccounts());
            }
        }

        /** The change, with the staff accounts alone. */
        int changePin(StaffAccounts staffAccounts) {
            PrintWriter err = spec.commandLine().getErr();
            ResourceBundle b = Messages.bundle(parent.root.locale());
            String old = parent.root.readPin(new UserMessage("cli.staff.pinPrompt", id).format(b) + " ");
            String next = parent.root.readPin(new UserMessage("cli.staff.newPinPrompt", id).format(b) + " ");
            try {
                staffAccounts.changePin(id.strip(), old, next);
                spec.commandLine().getOut().println(new UserMessage("cli.staff.pinChanged", id).format(b));
                return ExitCodes.OK;
            } catch (BusinessRuleException e) {
                err.println(e.userMessage().format(b));
                return "staff.error.pinFormat".equals(e.userMessage().key()) ? ExitCodes.REFUSED : ExitCodes.NOT_APPROVED;
            }
        }
    }

    @Command(name = "list", description = "The staff accounts this terminal holds (never their PINs).")
    static final class ListAccounts implements Callable<Integer> {
        @ParentCommand
        StaffCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (TerminalWiring wiring = parent.root.openWiring()) {
                return list(wiring.staffAccounts(), wiring.clock());
            }
        }

        /** The list, with the staff accounts and the clock (whose account is locked now). */
        int list(StaffAccounts staffAccounts, Clock clock) {
            for (StaffAccount a : staffAccounts.list()) {
                spec.commandLine().getOut().println(String.join("\t", a.id(), a.name(),
                        a.role().name().toLowerCase(Locale.ROOT), a.storeId() == null ? "*" : a.storeId(),
                        a.active() ? "active" : "inactive",
                        a.lockedUntil() != null && a.lockedUntil().isAfter(java.time.OffsetDateTime.now(clock))
                                ? "locked until " + a.lockedUntil() : ""));
            }
            return ExitCodes.OK;
        }
    }
}
