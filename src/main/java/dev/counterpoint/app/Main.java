package dev.counterpoint.app;

import dev.counterpoint.cli.CounterpointCommand;

/** The entry point: a plain class, so JavaFX on the class path starts without a launcher module. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(CounterpointCommand.commandLine().execute(args));
    }
}
