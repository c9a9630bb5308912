package dev.counterpoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.office.Registrations;
import dev.counterpoint.office.reminder.ReminderSchedule;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.store.DataDir;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.PrivateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "office", description = {"Run the head-office server (headless) until stopped.",
        "Default store: an H2 file in the data dir; --db jdbc:postgresql://… for a chain."},
        subcommands = {OfficeCommand.AddTerminal.class, OfficeCommand.RevokeTerminal.class, OfficeOwnerKeyCommands.Make.class,
                OfficeOwnerKeyCommands.List.class, OfficeOwnerKeyCommands.Revoke.class, OfficeMemberQrCommand.class,
                OfficeCommand.OfficeDataKey.class, OfficeUserCommands.Add.class, OfficeUserCommands.Remove.class,
                OfficeUserCommands.Passwd.class, OfficeRemindersCommand.class, OfficeImportMembersCommand.class})
public final class OfficeCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Mixin
    DbOptions db;

    @Option(names = "--port", defaultValue = "8420", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--tls-keystore", description = "Serve HTTPS with the certificate and key in this PKCS12/JKS keystore.")
    Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = {"File holding the keystore's password "
            + "(its first line; owner-only), or set " + TLS_PASSWORD_ENV + "."})
    Path tlsPasswordFile;

    /** Refused: a password among the arguments shows in the process list. */
    @Option(names = "--tls-password", hidden = true)
    String refusedTlsPassword;

    @Option(names = "--max-concurrent-sync", defaultValue = "8",
            description = "Push/pull requests served at once; more are answered 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxConcurrentSync;

    static final String TLS_PASSWORD_ENV = "COUNTERPOINT_TLS_PASSWORD";
    static final String DB_PASSWORD_ENV = "COUNTERPOINT_DB_PASSWORD";

    /** Where the database is: --db, or an H2 file in the data dir. */
    public static final class DbOptions {
        @Option(names = "--db", description = "JDBC URL of the office database (default: an H2 file in the data dir).")
        String url;

        @Option(names = "--db-user", description = "Database user.")
        String user;

        @Option(names = "--db-password-file", paramLabel = "FILE", description = {"File holding the database password "
                + "(its first line; owner-only), or set " + DB_PASSWORD_ENV + "."})
        Path passwordFile;

        /** Refused: a password among the arguments shows in the process list. */
        @Option(names = "--db-password", hidden = true)
        String refusedPassword;

        /** A subcommand's own --db wins; else the one given to 'office'; else the data dir's H2 file. */
        static OfficeDatabase open(DbOptions own, DbOptions parent, CommandRoot root, CommandSpec spec) {
            own.refuseArgumentPassword(spec);
            parent.refuseArgumentPassword(spec);
            return (own.url != null ? own : parent).open(root, spec);
        }

        void refuseArgumentPassword(CommandSpec spec) {
            if (refusedPassword != null) {
                throw new ParameterException(spec.commandLine(), "--db-password is no longer accepted: a password on the "
                        + "command line shows in the process list. Give --db-password-file FILE (the password on its first "
                        + "line, the file readable by its owner only) or set " + DB_PASSWORD_ENV);
            }
        }

        OfficeDatabase open(CommandRoot root, CommandSpec spec) {
            if (url != null) {
                String password = Secret.read(spec, "--db-password-file", passwordFile, DB_PASSWORD_ENV);
                return OfficeDatabase.url(url, user, password, officeDir(root));
            }
            return OfficeDatabase.h2File(officeDir(root));
        }
    }

    /** Head office's data dir: --data-dir, else the per-user one's {@code office} folder. */
    static Path officeDir(CommandRoot root) {
        return root.dataDir != null ? root.dataDir : DataDir.defaultDir().resolve("office");
    }

    /** Before anything logs: the log goes into head office's own data dir, not a shared folder. */
    static void logToOfficeDir(CommandRoot root) {
        root.logTo(officeDir(root).resolve("logs"));
    }

    /**
     * A subcommand's database, closed by the subcommand when it is done. Closing shuts the H2 file down only when nobody
     * else has it open: while head office runs, the subcommand reaches that file through its AUTO_SERVER and leaves it
     * to the server ({@link OfficeDatabase#close}).
     */
    static OfficeDatabase openForCommand(DbOptions own, OfficeCommand office, CommandSpec spec) {
        logToOfficeDir(office.root);
        return DbOptions.open(own, office.db, office.root, spec);
    }

    static ObjectMapper json() {
        return ProtocolJson.newMapper();
    }

    @Override
    public Integer call() throws InterruptedException {
        logToOfficeDir(root);
        if (refusedTlsPassword != null) {
            throw new ParameterException(spec.commandLine(), "--tls-password is no longer accepted: a password on the "
                    + "command line shows in the process list. Give --tls-password-file FILE (the password on its first "
                    + "line, the file readable by its owner only) or set " + TLS_PASSWORD_ENV);
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        OfficeServer.Tls tls = tlsKeystore == null ? null : new OfficeServer.Tls(tlsKeystore,
                Objects.requireNonNullElse(Secret.read(spec, "--tls-password-file", tlsPasswordFile, TLS_PASSWORD_ENV), ""));
        try (OfficeDatabase database = DbOptions.open(db, db, root, spec);
             OfficeServer server = new OfficeServer(database, Clock.systemUTC(), json(), maxConcurrentSync, tls);
             ReminderSchedule reminders = OfficeRemindersCommand.schedule(this, database, server, spec)) {
            int bound = server.start(host, port);
            out.println("head office listening on " + (tls == null ? "http://" : "https://") + host + ":" + bound);
            out.flush();
            if (reminders != null) {
                reminders.start(); // the daily reminders (reminders.properties, schedule.time)
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "office-shutdown"));
            stopped.await();
        }
        return ExitCodes.OK;
    }

    @Command(name = "add-terminal", description = {"Add (or re-arm) a terminal and print its one-time registration code.",
            "The code is alone on the last line. The terminal runs: register --office URL CODE"})
    static final class AddTerminal implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        DbOptions db;

        @Spec
        CommandSpec spec;

        @Option(names = "--store", required = true, description = "Store id, e.g. S001.")
        String store;

        @Option(names = "--terminal", required = true, description = "Terminal name within the store, e.g. T1.")
        String terminal;

        @Override
        public Integer call() {
            String code;
            try (OfficeDatabase database = openForCommand(db, office, spec)) {
                code = new Registrations(database, Clock.systemUTC()).addTerminal(store, terminal);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("registration code for " + store + "/" + terminal + " (valid 7 days, usable once):");
            out.println(code);
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke-terminal", description = "Revoke a terminal: its credential is refused from now on. Exit 3: no such terminal.")
    static final class RevokeTerminal implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Mixin
        DbOptions db;

        @Spec
        CommandSpec spec;

        @Option(names = "--store", required = true)
        String store;

        @Option(names = "--terminal", required = true)
        String terminal;

        @Override
        public Integer call() {
            boolean revoked;
            try (OfficeDatabase database = openForCommand(db, office, spec)) {
                revoked = new Registrations(database, Clock.systemUTC()).revoke(store, terminal);
            }
            if (!revoked) {
                spec.commandLine().getErr().println("no terminal " + store + "/" + terminal + " is registered");
                return ExitCodes.NOT_FOUND;
            }
            spec.commandLine().getOut().println("terminal " + store + "/" + terminal + " revoked");
            return ExitCodes.OK;
        }
    }

    @Command(name = "data-key", description = {"Say where head office's key is kept, or export it.",
            "The key encrypts the H2 file and seals the chain's phone key; --export FILE writes it to FILE (owner-only) for a",
            "backup kept apart from the data dir's.",
            "Exit 3: no key yet (no office database either); 8: the office database's key is not in this account's key folder."})
    static final class OfficeDataKey implements Callable<Integer> {
        @ParentCommand
        OfficeCommand office;

        @Spec
        CommandSpec spec;

        @Option(names = "--export", paramLabel = "FILE", description = "Write the key to FILE, readable by its owner only.")
        Path export;

        @Override
        public Integer call() throws java.io.IOException {
            logToOfficeDir(office.root);
            DataKey key = OfficeDatabase.dataKey(officeDir(office.root));
            java.util.Optional<String> text = key.exportText();
            if (text.isEmpty()) {
                spec.commandLine().getErr().println("head office has no key in this account's key folder: " + key.file()
                        + " (restore it from its backup there, or run as the user that made this office's data dir)");
                // a database without its key is a missing key; no database yet, simply none
                boolean encrypted = java.nio.file.Files.exists(officeDir(office.root).resolve("office.mv.db"));
                return encrypted ? ExitCodes.KEY_MISSING : ExitCodes.NOT_FOUND;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("head office's key is kept in " + key.where());
            if (export != null) {
                PrivateFiles.write(export, text.get().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.println("written to " + export + ". Keep it apart from the data dir's backups; to restore, put it in the"
                        + " key folder as " + key.file());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
