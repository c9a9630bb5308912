package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same day gives the same store: the README's cards, names and balances hold on every machine. */
class DemoDeterminismTest {
    private static final String SNAPSHOT = """
            SELECT c.code, m.display_name, m.phone_masked, m.birthday, m.tier, m.enrolled_at,
                   (SELECT COALESCE(SUM(delta), 0) FROM points_entry e WHERE e.member_id = m.id) AS points,
                   (SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry s WHERE s.member_id = m.id) AS sv,
                   (SELECT COUNT(*) FROM purchase p WHERE p.member_id = m.id) AS visits,
                   (SELECT COALESCE(SUM(total_fen), 0) FROM purchase p WHERE p.member_id = m.id) AS spend,
                   (SELECT LISTAGG(k.code || ':' || k.status, ',') WITHIN GROUP (ORDER BY k.code) FROM coupon k
                     WHERE k.member_id = m.id) AS coupons
            FROM member m JOIN member_code c ON c.member_id = m.id
            ORDER BY c.code""";

    @TempDir
    Path dir;

    @Test
    void twoRunsOnTheSameDayGiveTheSameMembersAndBalances() {
        Clock clock = Clock.fixed(Instant.parse("2026-07-01T03:00:00Z"), ZoneId.of("Asia/Shanghai"));
        List<String> first = snapshot(clock, "a");
        List<String> second = snapshot(clock, "b");
        assertThat(first).hasSize(106).isEqualTo(second);
    }

    @Test
    void anotherDayMovesTheDatesButKeepsTheMembers() {
        List<String> july = cards(Clock.fixed(Instant.parse("2026-07-01T03:00:00Z"), ZoneId.of("Asia/Shanghai")), "c");
        List<String> august = cards(Clock.fixed(Instant.parse("2026-08-15T03:00:00Z"), ZoneId.of("Asia/Shanghai")), "d");
        assertThat(july).hasSize(106).isEqualTo(august).contains(Showcase.VIP.cardCode());
    }

    private List<String> snapshot(Clock clock, String sub) {
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir.resolve(sub), Locale.ENGLISH, clock)) {
            ctx.demoStoreGenerator().generate(100, (w, t) -> { });
            return ctx.database().jdbi().withHandle(h -> h.createQuery(SNAPSHOT).map((rs, c) -> {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(rs.getString(i)).append('|');
                }
                return row.toString();
            }).list());
        }
    }

    private List<String> cards(Clock clock, String sub) {
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir.resolve(sub), Locale.ENGLISH, clock)) {
            ctx.demoStoreGenerator().generate(100, (w, t) -> { });
            return ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT code FROM member_code ORDER BY code")
                    .mapTo(String.class).list());
        }
    }
}
