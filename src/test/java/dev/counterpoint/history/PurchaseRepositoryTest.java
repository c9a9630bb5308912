package dev.counterpoint.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One person's purchases: the member's own and those of every member merged into it, and no one else's. */
class PurchaseRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void aMembersPurchasesIncludeThoseOfMembersMergedIntoIt() {
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, Clock.systemUTC())) {
            Member survivor = ctx.memberService().enrol("林雨桐", "13800000001", null);
            Member alias = ctx.memberService().enrol("林雨桐", "13800000002", null);
            Member other = ctx.memberService().enrol("王建国", "13800000003", null);
            ctx.checkoutService().recordSale(survivor.id(), 1_000L, List.of());
            ctx.checkoutService().recordSale(alias.id(), 2_000L, List.of());
            ctx.checkoutService().recordSale(alias.id(), 3_000L, List.of());
            ctx.checkoutService().recordSale(other.id(), 4_000L, List.of());
            ctx.database().jdbi().useHandle(h -> h.execute("INSERT INTO member_alias(alias_id, survivor_id) VALUES (?, ?)",
                    alias.id(), survivor.id()));

            PurchaseRepository repo = ctx.purchaseRepository();
            List<Purchase> year = ctx.database().jdbi().withHandle(h -> repo.since(h, survivor.id(), OffsetDateTime.now().minusYears(1)));
            PurchaseRepository.AllTime all = ctx.database().jdbi().withHandle(h -> repo.allTime(h, survivor.id()));

            assertThat(year).extracting(Purchase::totalFen).containsExactlyInAnyOrder(1_000L, 2_000L, 3_000L);
            assertThat(all.visits()).isEqualTo(3);
            List<Purchase> others = ctx.database().jdbi().withHandle(h -> repo.since(h, other.id(), OffsetDateTime.now().minusYears(1)));
            assertThat(others).extracting(Purchase::totalFen).containsExactly(4_000L);
        }
    }
}
