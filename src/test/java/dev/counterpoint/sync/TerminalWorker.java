package dev.counterpoint.sync;

import dev.counterpoint.checkout.Redemption;
import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * A terminal in its own JVM, for tests that kill it for real. Prints one line per thing it knows is durable:
 * "CONFIRMED id" after each committed redemption, "READY n" once its day is recorded, "SYNCED n" after each sync.
 * Usage: TerminalWorker DATA_DIR redeem|sync
 */
public final class TerminalWorker {
    private TerminalWorker() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            if (args[1].equals("redeem")) {
                Member m = ctx.memberService().enrol("王芳", "13800135678", null);
                ctx.checkoutService().recordSale(m.id(), 10_000_000L, List.of()); // 100,000 points
                System.out.println("MEMBER " + m.id());
                System.out.flush();
                while (true) {
                    Redemption r = ctx.checkoutService().redeemPoints(m.id(), 100);
                    System.out.println("CONFIRMED " + r.refId());
                    System.out.flush();
                }
            }
            int sales = Integer.parseInt(args[2]);
            Member m = ctx.memberService().enrol("李雷", "13900001111", null);
            for (int i = 0; i < sales; i++) {
                ctx.checkoutService().recordSale(m.id(), 100L + i, List.of());
            }
            System.out.println("READY " + (sales + 1));
            System.out.flush();
            while (true) {
                SyncReport r = ctx.syncEngine().orElseThrow().syncOnce();
                System.out.println("SYNCED " + r.pushed());
                System.out.flush();
            }
        }
    }
}
