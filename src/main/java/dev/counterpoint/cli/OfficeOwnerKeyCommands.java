package dev.counterpoint.cli;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerKeys;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Owner keys at head office: made, listed and revoked by name (docs/api.md, Authentication). */
final class OfficeOwnerKeyCommands {
    private OfficeOwnerKeyCommands() {}

    @Command(name = "owner-key", description = {"Make an owner key for the owner API.",
            "The key is printed alone on the last line and shown once. A key made earlier under the same name stops working.",
            "Exit 0: made; 2: a bad name, scope or validity."})
    static final class Make implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        OfficeCommand.DbOptions db;

        @Spec
        CommandSpec spec;

        @Option(names = "--name", defaultValue = "owner",
                description = "Who or what holds the key: 1-40 letters, digits, '.', '_', '@' or '-' (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--scope", defaultValue = "read,coupons,rules,erase",
                description = "What the key may do, comma-separated: read, coupons, rules, erase (default: all).")
        String scopes;

        @Option(names = "--days", defaultValue = "365", description = "Days the key works, 1 to 1095 (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() {
            Set<OwnerKeys.Scope> parsed;
            try {
                parsed = OwnerKeys.Scope.parse(scopes);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("--scope: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
                OwnerKeys keys = new OwnerKeys(database.jdbi(), Clock.systemUTC());
                String key;
                try {
                    key = keys.create(name, parsed, Duration.ofDays(days));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return ExitCodes.USAGE;
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("owner key '" + name + "' (" + String.join(",", parsed.stream().map(OwnerKeys.Scope::wire).toList())
                        + ", " + days + " days; send as 'Authorization: Bearer KEY'):");
                out.println(key);
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "owner-keys", description = "List the owner keys (never the keys themselves): scopes, expiry, last use.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        OfficeCommand.DbOptions db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
                OwnerKeys keys = new OwnerKeys(database.jdbi(), Clock.systemUTC());
                PrintWriter out = spec.commandLine().getOut();
                OffsetDateTime now = OffsetDateTime.now(Clock.systemUTC());
                out.printf("%-24s %-26s %-10s %-20s %-20s %s%n", "name", "scopes", "state", "expires", "last used", "uses");
                for (OwnerKeys.Listed k : keys.list()) {
                    String state = k.revokedAt() != null ? "revoked" : k.expiresAt().isAfter(now) ? "active" : "expired";
                    out.printf("%-24s %-26s %-10s %-20s %-20s %d%n", k.name(),
                            String.join(",", k.scopes().stream().map(OwnerKeys.Scope::wire).toList()), state,
                            k.expiresAt().toLocalDate(), k.lastUsedAt() == null ? "never" : k.lastUsedAt().toString(), k.uses());
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "revoke-owner-key", description = "Revoke the owner key of this name: it stops working at once. Exit 3: no such key.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        OfficeCommand.DbOptions db;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The key's name.")
        String name;

        @Override
        public Integer call() {
            try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
                boolean revoked = new OwnerKeys(database.jdbi(), Clock.systemUTC()).revoke(name);
                if (!revoked) {
                    spec.commandLine().getErr().println("no owner key named " + name + " is in force");
                    return ExitCodes.NOT_FOUND;
                }
                spec.commandLine().getOut().println("owner key " + name + " revoked");
                return ExitCodes.OK;
            }
        }
    }
}
