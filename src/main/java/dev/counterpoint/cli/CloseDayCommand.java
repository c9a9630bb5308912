package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.sync.CloseDay;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "close-day", description = {"Close the business day: Z-report, final push, pull of head office's decisions,",
        "and a receipt (events confirmed through N, digest). Offline, the report is still made and marked unconfirmed.",
        "Exit 0: confirmed by head office; 5: report made but not confirmed."})
public final class CloseDayCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--date", description = "Business day (yyyy-MM-dd; default: today).")
    LocalDate date;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AppContext ctx = root.openContext()) {
            ResourceBundle b = Messages.bundle(ctx.locale());
            CloseDay.Result r = ctx.closeDay().close(date != null ? date : LocalDate.now(ctx.clock()));
            ZReport z = r.report();
            out.println(new UserMessage("closeDay.title", z.businessDate().toString(), z.storeId(), z.terminalId()).format(b));
            out.println(new UserMessage("closeDay.sales", z.sales(), Money.format(z.salesFen())).format(b));
            out.println(new UserMessage("closeDay.members", z.membersServed(), z.newMembers()).format(b));
            out.println(new UserMessage("closeDay.points", z.pointsIssued(), z.pointsRedeemed(), z.pointsExpired()).format(b));
            out.println(new UserMessage("closeDay.coupons", z.couponsRedeemed(), Money.format(z.couponDiscountFen())).format(b));
            out.println(new UserMessage("closeDay.storedValue", Money.format(z.storedValueInFen()), Money.format(z.storedValueOutFen())).format(b));
            out.println(new UserMessage("closeDay.receipt", r.throughSeq(), r.digest()).format(b));
            if (r.confirmed()) {
                out.println(new UserMessage("closeDay.confirmed").format(b));
            } else {
                out.println(new UserMessage("closeDay.unconfirmed").format(b));
                out.println(r.problem().userMessage().format(b));
            }
            out.flush();
            return r.confirmed() ? 0 : SyncCommand.EXIT_OFFLINE;
        }
    }
}
