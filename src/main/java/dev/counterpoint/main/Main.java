package dev.counterpoint.main;

import dev.counterpoint.office.OfficeDatabase;

/** The entry point: a plain class, so JavaFX on the class path starts without a launcher module. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Before H2 loads (it reads this once): any H2 server socket, such as head office's AUTO_SERVER, listens on
        // loopback only, never on the machine's network addresses.
        System.setProperty(OfficeDatabase.H2_BIND_PROPERTY, OfficeDatabase.LOOPBACK);
        System.exit(CounterpointCommand.commandLine().execute(args));
    }
}
