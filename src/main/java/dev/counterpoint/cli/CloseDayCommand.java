package dev.counterpoint.cli;

import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.store.Backups;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "close-day", description = {"Close the business day, approved by a manager.",
        "--manager ID names the manager, whose PIN is read from standard input: Z-report, final push, pull of head office's",
        "decisions, and a receipt (events confirmed through N, digest). Offline, the report is still made and marked",
        "unconfirmed. A day is closed once: closing it again prints the same report (and asks head office again to confirm",
        "it if it was not). --print prints the report on the receipt printer as well (marked as a reprint when the day was",
        "closed before). A backup of the store is then written to the data dir's backups/ folder (a failed one is reported,",
        "the day closed all the same).",
        "Exit 0: confirmed by head office; 5: manager unknown, locked or PIN wrong; 6: report made but not confirmed."})
public final class CloseDayCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--date", description = "Business day (yyyy-MM-dd; default: today).")
    LocalDate date;

    @Option(names = "--manager", required = true, paramLabel = "ID",
            description = "The closing manager's staff id (their PIN: the next line of standard input).")
    String manager;

    @Option(names = "--print", description = "Print the Z-report on the receipt printer too.")
    boolean print;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return closeDay(wiring.staffAccounts(), wiring.closeDay(), wiring.clock(), wiring.receiptDesk(),
                    wiring.backups());
        }
    }

    /** The close of day, with the services it takes. */
    int closeDay(StaffAccounts staffAccounts, CloseDay closeDay, Clock clock, ReceiptDesk receiptDesk,
                 Backups backups) {
        PrintWriter out = spec.commandLine().getOut();
        ResourceBundle b = Messages.bundle(root.locale());
        if (ManagerApproval.manager(staffAccounts, root, manager, spec.commandLine().getErr(), b).isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        CloseDay.Result r = closeDay.close(date != null ? date : LocalDate.now(clock), manager.strip());
        ZReport z = r.report();
        if (r.reprinted()) {
            out.println(new UserMessage("closeDay.reprint", z.businessDate().toString()).format(b));
        }
        out.println(new UserMessage("closeDay.title", z.businessDate().toString(), z.storeId(), z.terminalId()).format(b));
        out.println(new UserMessage("closeDay.sales", z.sales(), Money.format(z.salesFen())).format(b));
        out.println(new UserMessage("closeDay.members", z.membersServed(), z.newMembers()).format(b));
        out.println(new UserMessage("closeDay.points", z.pointsIssued(), z.pointsRedeemed(), z.pointsExpired()).format(b));
        out.println(new UserMessage("closeDay.coupons", z.couponsRedeemed(), Money.format(z.couponDiscountFen())).format(b));
        out.println(new UserMessage("closeDay.storedValue", Money.format(z.storedValueInFen()), Money.format(z.storedValueOutFen())).format(b));
        out.println(new UserMessage("closeDay.checkouts", z.checkouts(), Money.format(z.checkoutDiscountFen()),
                Money.format(z.checkoutPointsFen()), Money.format(z.checkoutStoredValueFen()),
                Money.format(z.checkoutPayableFen())).format(b));
        out.println(new UserMessage("closeDay.returns", z.voids(), Money.format(z.voidFen()), z.refunds(),
                Money.format(z.refundFen()), Money.format(z.refundPayableFen()), z.pointsReturned(),
                z.pointsClawedBack(), Money.format(z.storedValueReturnedFen())).format(b));
        z.afterClose().forEach(late -> out.println(late.message().format(b)));
        out.println(new UserMessage("closeDay.receipt", r.throughSeq(), r.digest()).format(b));
        if (r.confirmed()) {
            out.println(new UserMessage("closeDay.confirmed").format(b));
        } else {
            out.println(new UserMessage("closeDay.unconfirmed").format(b));
            if (r.problem() != null) {
                out.println(r.problem().userMessage().format(b));
            }
        }
        Receipting.issue(receiptDesk, out, spec.commandLine().getErr(), b, print, () -> receiptDesk.receipts()
                .day(z, r.throughSeq(), r.digest(), r.confirmed(), r.reprinted(), manager.strip()));
        // The day is closed whatever becomes of its backup (decision 0072).
        try {
            backups.closeOfDay(z.businessDate())
                    .ifPresent(p -> out.println(new UserMessage("backup.closeOfDay.done", p.toString()).format(b)));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(CloseDayCommand.class).warn("the close-of-day backup failed", e);
            spec.commandLine().getErr().println(new UserMessage("backup.closeOfDay.failed", e.toString()).format(b));
        }
        out.flush();
        return r.confirmed() ? ExitCodes.OK : ExitCodes.UNREACHABLE;
    }
}
