package dev.counterpoint.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FavouriteTest {

    private static Purchase purchase(PurchaseLine... lines) {
        return new Purchase(UUID.randomUUID(), UUID.randomUUID(), "S001", "R", OffsetDateTime.now(), 100, PurchaseSource.SALE,
                List.of(lines));
    }

    private static PurchaseLine line(String sku, String category, int qty) {
        return new PurchaseLine(sku, category, qty, 100);
    }

    @Test
    void skusInTwoOrMorePurchasesByPurchasesThenUnitsThenSku() {
        List<Purchase> year = List.of(
                purchase(line("TEA", "drinks", 1), line("CAKE", "bakery", 5), line("TEA", "drinks", 3)),
                purchase(line("TEA", "drinks", 1), line("BEAN", "coffee", 1), line(null, "misc", 9)),
                purchase(line("BEAN", "coffee", 3), line("CAKE", null, 1), line("ONCE", "x", 50)),
                purchase(line("ANISE", "spice", 2), line("CAKE", "bake", 1)),
                purchase(line("ANISE", "spice", 2)));

        assertThat(Favourite.of(year, 10)).containsExactly(
                new Favourite("CAKE", "bakery", 3, 7),
                new Favourite("TEA", "drinks", 2, 5),
                new Favourite("ANISE", "spice", 2, 4),
                new Favourite("BEAN", "coffee", 2, 4));
        assertThat(Favourite.of(year, 2)).extracting(Favourite::sku).containsExactly("CAKE", "TEA");
        assertThat(Favourite.of(List.of(), 3)).isEmpty();
    }

    /** The same favourites as the SQL the panel ran before (kept here as the reference), on random purchases. */
    @Test
    void sameAsTheGroupedQueryOverTheSameYear(@TempDir Path dir) {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        TestClock clock = new TestClock(Instant.parse("2025-01-05T02:00:00Z"), zone);
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock)) {
            Random r = new Random(7);
            List<String> skus = List.of("A", "B", "C", "D", "E", "F");
            List<String> categories = new ArrayList<>(List.of("x", "y", "z"));
            categories.add(null);
            List<Member> members = new ArrayList<>();
            for (int m = 0; m < 12; m++) {
                members.add(ctx.memberService().enrol("M" + m, "1380013" + String.format("%04d", m), null));
            }
            for (int day = 0; day < 500; day++) {
                clock.advance(Duration.ofHours(19));
                Member m = members.get(r.nextInt(members.size()));
                List<PurchaseLine> lines = new ArrayList<>();
                for (int l = 1 + r.nextInt(4); l > 0; l--) {
                    lines.add(new PurchaseLine(r.nextInt(8) == 0 ? null : skus.get(r.nextInt(skus.size())),
                            categories.get(r.nextInt(categories.size())), 1 + r.nextInt(3), 100 + r.nextInt(900)));
                }
                ctx.checkoutService().recordSale(m.id(), null, lines);
            }
            OffsetDateTime since = OffsetDateTime.now(clock).minusYears(1);
            ctx.database().jdbi().useHandle(h -> {
                for (Member m : members) {
                    List<Purchase> year = ctx.purchaseRepository().since(h, m.id(), since);
                    assertThat(year).hasSizeGreaterThan(5);
                    assertThat(Favourite.of(year, 3)).as(m.displayName()).isEqualTo(grouped(h, m.id(), since, 3));
                }
            });
        }
    }

    private static List<Favourite> grouped(Handle h, UUID memberId, OffsetDateTime since, int limit) {
        return h.createQuery("""
                SELECT l.sku, MAX(l.category) AS category, COUNT(DISTINCT p.id) AS times, SUM(l.qty) AS qty
                FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.member_id = :member AND p.purchased_at >= :since AND l.sku IS NOT NULL
                GROUP BY l.sku
                HAVING COUNT(DISTINCT p.id) >= 2
                ORDER BY times DESC, qty DESC, l.sku
                LIMIT :limit""")
                .bind("member", memberId).bind("since", since.withOffsetSameInstant(ZoneOffset.UTC)).bind("limit", limit)
                .map((rs, ctx) -> new Favourite(rs.getString("sku"), rs.getString("category"), rs.getInt("times"), rs.getInt("qty")))
                .list();
    }
}
