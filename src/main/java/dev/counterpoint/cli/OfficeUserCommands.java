package dev.counterpoint.cli;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.console.ConsoleUsers;
import dev.counterpoint.office.console.Viewer;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Accounts of head office's web console (docs/security.md, Console): added, removed, given a new password. */
final class OfficeUserCommands {
    private OfficeUserCommands() {}

    /** Runs {@code work} on the console's accounts, the database closed after it. */
    private static <T> T withUsers(OfficeCommand office, OfficeCommand.DbOptions db, CommandSpec spec,
                                   Function<ConsoleUsers, T> work) {
        try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
            return work.apply(new ConsoleUsers(database.jdbi(), Clock.systemUTC()));
        }
    }

    @Command(name = "add-user", description = {"Add an account for the web console.",
            "Standard input: its password (one line, 10 to 200 characters; not echoed at a console). An owner sees every store;",
            "a manager (--store S) that store only.",
            "Exit 0 added, 1 refused (name taken), 2 bad name, role, store or password."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        OfficeCommand.DbOptions db;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The user name: 1-40 letters, digits, '.', '_', '@' or '-'.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "owner|manager", description = "What the account sees.")
        String role;

        @Option(names = "--store", paramLabel = "S", description = "The manager's store (not for an owner).")
        String store;

        @Override
        public Integer call() {
            Viewer.Role parsed;
            try {
                parsed = Viewer.Role.parse(role);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("--role: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            String password = office.root.readPassword("password for " + name + ": ");
            try {
                withUsers(office, db, spec, users -> {
                    users.add(name, parsed, store, password);
                    return null;
                });
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return e.getMessage().startsWith("there is already") ? ExitCodes.REFUSED : ExitCodes.USAGE;
            }
            spec.commandLine().getOut().println("console account " + name + " added (" + parsed.wire()
                    + (store == null ? ", every store" : " of " + store) + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove-user", description = "Remove a console account; its sessions end at once. Exit 3: no such account.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        OfficeCommand.DbOptions db;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!withUsers(office, db, spec, users -> users.remove(name))) {
                spec.commandLine().getErr().println("no console account named " + name);
                return ExitCodes.NOT_FOUND;
            }
            spec.commandLine().getOut().println("console account " + name + " removed");
            return ExitCodes.OK;
        }
    }

    @Command(name = "passwd", description = {"Give a console account a new password.",
            "Standard input: one line, not echoed at a console. Its sessions end and a lock is lifted.",
            "Exit 2: the password is refused; 3: no such account."})
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        OfficeCommand.DbOptions db;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            String password = office.root.readPassword("new password for " + name + ": ");
            boolean changed;
            try {
                changed = withUsers(office, db, spec, users -> users.changePassword(name, password));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.USAGE;
            }
            if (!changed) {
                spec.commandLine().getErr().println("no console account named " + name);
                return ExitCodes.NOT_FOUND;
            }
            spec.commandLine().getOut().println("password of " + name + " changed; its sessions have ended");
            return ExitCodes.OK;
        }
    }
}
