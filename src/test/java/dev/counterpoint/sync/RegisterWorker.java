package dev.counterpoint.sync;

import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.TerminalConfig;
import java.net.URI;
import java.nio.file.Path;

/**
 * Registers a terminal in its own JVM and halts it (as a kill would: no shutdown hooks, nothing flushed or closed) at
 * the given step of the registration. Usage: RegisterWorker DATA_DIR OFFICE_URL CODE REPLY_SAVED|REKEYED
 */
public final class RegisterWorker {
    static final int HALTED = 3;

    private RegisterWorker() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Registration.Step stop = Registration.Step.valueOf(args[3]);
        Database db = Database.open(dir);
        Registration.register(dir, db.jdbi(), TerminalConfig.loadOrCreate(dir), URI.create(args[1]), args[2],
                ProtocolJson.newMapper(), false, step -> {
                    if (step == stop) {
                        Runtime.getRuntime().halt(HALTED);
                    }
                });
        System.exit(0); // not stopped: the step was never reached
    }
}
