package dev.counterpoint.cli;

import dev.counterpoint.checkout.MemberUpkeep;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "daily",
        description = {"Run the daily loyalty pass over every member.",
                "It writes off expired points, reviews tiers after the review date, and issues the coupons whose trigger now holds",
                "(so they reach members who do not come in)."})
public final class DailyCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return daily(wiring.memberUpkeep());
        }
    }

    int daily(MemberUpkeep upkeep) {
        List<MemberUpkeep.Done> done = upkeep.everyone();
        long lots = done.stream().mapToLong(MemberUpkeep.Done::lotsExpired).sum();
        long reviews = done.stream().filter(d -> d.review().isPresent()).count();
        long coupons = done.stream().mapToLong(d -> d.issued().size()).sum();
        spec.commandLine().getOut().println(new UserMessage("cli.daily.done", done.size(), lots, reviews, coupons)
                .format(Messages.bundle(root.locale())));
        return ExitCodes.OK;
    }
}
