package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.store.DataDir;
import dev.counterpoint.store.Database;
import dev.counterpoint.wiring.LogConfigurator;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every command gets from the command line's root: the options all of them take (--data-dir, --lang), standard
 * input for PINs and passwords, and the store opened in that data dir. The root command itself, which names the
 * commands, is the entry point's ({@code dev.counterpoint.main.CounterpointCommand}); the commands know only this.
 */
public abstract class CommandRoot {
    @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT,
            description = "Folder holding the database, settings and logs (default: the per-user application-data folder).")
    Path dataDir;

    @Option(names = "--lang", scope = CommandLine.ScopeType.INHERIT, description = "zh or en (default: the OS language).")
    String lang;

    /** Standard input, read a line at a time for PINs (never taken from arguments, which others can see). */
    private BufferedReader stdin;
    private boolean isSystemIn = true;

    /** PINs and passwords are read from {@code in} (tests give it the lines a person would type). */
    protected final void readFrom(InputStream in) {
        stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        isSystemIn = in == System.in;
    }

    /** A start-up failure in the user's language where we have its words, else as the library said it. */
    public final String describe(Exception e) {
        if (e instanceof Database.DatabaseUnavailableException db) {
            try {
                return db.userMessage().format(locale());
            } catch (IllegalArgumentException unsupportedLang) {
                return db.getMessage();
            }
        }
        return e.getMessage();
    }

    /**
     * The next line of standard input, as a PIN: without echo when a person types it at a console, else a plain line.
     * Null when there is none.
     */
    String readPin(String prompt) {
        Console console = System.console();
        if (console != null && stdin != null && isSystemIn) {
            char[] pin = console.readPassword("%s", prompt);
            return pin == null ? null : new String(pin).strip();
        }
        try {
            String line = stdin == null ? null : stdin.readLine();
            return line == null ? null : line.strip();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The next line of standard input, as a password: kept as typed (spaces are part of it), without echo when a
     * person types it at a console. Null when there is none.
     */
    String readPassword(String prompt) {
        Console console = System.console();
        if (console != null && stdin != null && isSystemIn) {
            char[] password = console.readPassword("%s", prompt);
            return password == null ? null : new String(password);
        }
        try {
            return stdin == null ? null : stdin.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    Path dataDir() {
        return dataDir != null ? dataDir : DataDir.defaultDir();
    }

    public final Locale locale() {
        return Messages.resolve(lang, Locale.getDefault());
    }

    /** Points the log file into the data dir; logback reads this once, when something first logs. */
    void logToDataDir() {
        logTo(dataDir().resolve("logs"));
    }

    /** Points the log file into this folder (owner-only); logback reads this once, when something first logs. */
    void logTo(Path dir) {
        System.setProperty(LogConfigurator.DIR_PROPERTY, dir.toAbsolutePath().toString());
    }

    TerminalWiring openWiring() {
        logToDataDir();
        return TerminalWiring.open(dataDir(), locale(), Clock.systemDefaultZone());
    }

    /** For the counter: the rules file is read by the window, after it is shown (TerminalWiring.openRulesFileLater). */
    TerminalWiring openWiringForCounter() {
        logToDataDir();
        return TerminalWiring.openRulesFileLater(dataDir(), locale(), Clock.systemDefaultZone());
    }
}
