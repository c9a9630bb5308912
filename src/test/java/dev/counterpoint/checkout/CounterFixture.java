package dev.counterpoint.checkout;

import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A terminal with members seeded through the services, on a clock the test moves: history is
 * recorded in the past, then the counter is used "today" (2026-03-10, Shanghai time).
 */
final class CounterFixture implements AutoCloseable {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    final TestClock clock = new TestClock(TODAY.minusDays(40).atTime(10, 0).atZone(ZONE).toInstant(), ZONE);
    final TerminalWiring ctx;
    /** Regular customer: bought coffee beans twice 40 days ago, birthday in 3 days, ¥100 stored value. */
    final Member wang;
    /** Enrolled today, nothing bought: gets the welcome coupon. */
    final Member li;

    CounterFixture(Path dataDir, Locale locale, String extraSettings) {
        writeSettings(dataDir, extraSettings);
        ctx = TerminalWiring.inMemory(dataDir, locale, clock);
        wang = ctx.memberService().enrol("王芳", "13800135678", LocalDate.of(1990, 3, 13));
        ctx.checkoutService().recordSale(wang.id(), null, List.of(
                new PurchaseLine("BEAN-YIRG", "咖啡豆", 1, 8800), new PurchaseLine("MILK-1L", "乳品", 2, 2400)));
        clock.advance(Duration.ofHours(2));
        ctx.checkoutService().recordSale(wang.id(), null, List.of(new PurchaseLine("BEAN-YIRG", "咖啡豆", 1, 8800)));
        topUp(wang.id(), 10_000);
        clock.set(TODAY.atTime(9, 30).atZone(ZONE).toInstant());
        li = ctx.memberService().enrol("李雷", "13900001111", null);
        ctx.staffAccounts().addFirst(MANAGER, "林店长", dev.counterpoint.protocol.StaffRole.MANAGER, MANAGER_PIN);
    }

    /** The store's manager, who also rings up sales in these tests. */
    static final String MANAGER = "lin";
    static final String MANAGER_PIN = "246810";

    private static void writeSettings(Path dataDir, String extraSettings) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve("counterpoint.properties"),
                    "store.id=S001\nstore.name=Test Store\nterminal.id=T1\n" + extraSettings, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** There is no top-up service yet: the opening balance goes straight into the ledger. */
    void topUp(UUID memberId, long fen) {
        ctx.database().jdbi().useTransaction(h -> ctx.storedValueLedger().append(h, memberId, fen,
                StoredValueKind.OPENING, null, OffsetDateTime.now(clock), ctx.hlc().now()));
    }

    long count(String sql, Object... args) {
        return ctx.database().jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    long events(String type) {
        return count("SELECT COUNT(*) FROM outbox_event WHERE type = ?", type);
    }

    long pendingEvents() {
        return count("SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL");
    }

    @Override
    public void close() {
        ctx.close();
    }
}
