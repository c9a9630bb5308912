package dev.counterpoint.store;

import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** A child process for {@link DurabilityTest}: records sales, says so, and waits to be killed. */
public final class SaleThenHang {
    private SaleThenHang() {}

    public static void main(String[] args) throws Exception {
        TerminalWiring ctx = TerminalWiring.open(Path.of(args[0]), Locale.ENGLISH, Clock.systemDefaultZone());
        Member m = ctx.memberService().enrol("王芳", "13800135678", null);
        for (int i = 1; i <= 20; i++) {
            ctx.checkoutService().recordSale(m.id(), 100L * i, List.of());
        }
        System.out.println("CONFIRMED " + m.cardCode());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
