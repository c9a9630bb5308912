package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.shared.BusinessRuleException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A small scale store (the showcase plus 3,000 bulk members) checked as a whole. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleStoreGeneratorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final int MEMBERS = 3_000;
    private static final long PURCHASES = 30_000;

    private AppContext ctx;
    private ScaleStoreGenerator.Summary summary;
    private final List<Integer> progress = new ArrayList<>();

    @BeforeAll
    void generate(@TempDir Path dir) {
        ctx = AppContext.inMemory(dir, Locale.ENGLISH, CLOCK);
        ctx.demoStoreGenerator().generate(0, (w, t) -> { });
        summary = ctx.scaleStoreGenerator().generate(MEMBERS, PURCHASES, (m, t, rows, p) -> progress.add(m));
    }

    @AfterAll
    void close() {
        ctx.close();
    }

    private long count(String sql) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void writesTheMembersAndAboutThePurchasesAskedFor() {
        assertThat(summary.members()).isEqualTo(MEMBERS);
        assertThat(count("SELECT COUNT(*) FROM member")).isEqualTo(MEMBERS + Showcase.values().length);
        assertThat(count("SELECT COUNT(*) FROM purchase WHERE receipt_no LIKE '%-SCALE-%'")).isEqualTo(summary.purchases());
        assertThat(summary.purchases()).isBetween(PURCHASES * 85 / 100, PURCHASES * 115 / 100);
        assertThat(count("SELECT COUNT(*) FROM purchase_line")).isGreaterThan(summary.purchases());
        assertThat(progress).containsExactly(2_000, 3_000);
    }

    @Test
    void theStoreLooksLikeARealOne() {
        // The demo café's habits hardly ever reach Diamond (¥8,000 a year): see docs/benchmarks.md for the 1M store.
        assertThat(count("SELECT COUNT(DISTINCT m.tier) FROM member m JOIN member_code c ON c.member_id = m.id "
                + "WHERE c.code NOT LIKE '29000000000%' AND m.tier IN ('NORMAL', 'SILVER', 'GOLD')")).isEqualTo(3);
        assertThat(count("SELECT COUNT(DISTINCT MONTH(birthday)) FROM member")).isEqualTo(12);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'ISSUED'")).isPositive();
        assertThat(count("SELECT COUNT(*) FROM coupon_redemption")).isEqualTo(count("SELECT COUNT(*) FROM coupon WHERE status = 'REDEEMED'"));
        // lapsed: bought within the year but not in the last 35 days
        assertThat(count("""
                SELECT COUNT(*) FROM (SELECT member_id FROM purchase GROUP BY member_id
                HAVING MAX(purchased_at) < TIMESTAMP WITH TIME ZONE '2026-02-03 00:00:00+08')""")).isGreaterThan(MEMBERS / 20);
        // seasonal: December, the busiest month, outsells July, the quietest, per day
        assertThat(count("SELECT COUNT(*) FROM purchase WHERE MONTH(purchased_at) = 12") * 100 / 31)
                .isGreaterThan(count("SELECT COUNT(*) FROM purchase WHERE MONTH(purchased_at) = 7") * 115 / 31);
    }

    @Test
    void writesNoOutboxEventsAndLeavesForeignKeysCheckedAgain() {
        long showcaseEvents = count("SELECT COUNT(*) FROM outbox_event");
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE aggregate_id IN (SELECT m.id FROM member m "
                + "JOIN member_code c ON c.member_id = m.id WHERE c.code NOT LIKE '29000000000%')")).isZero();
        assertThat(showcaseEvents).isPositive();
        assertThatThrownBy(() -> ctx.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO member_code(code, member_id, kind) VALUES ('X1', RANDOM_UUID(), 'CARD')")))
                .hasMessageContaining("Referential integrity");
    }

    @Test
    void aGeneratedMemberShowsOnTheCounter() {
        String code = DemoIdentities.card(17);
        MemberSummary s = ctx.memberSummaryService().byCode(code).orElseThrow();
        assertThat(s.member().cardCode()).isEqualTo(code);
        String name = s.member().displayName();
        // Found by the end of its name too: the generator indexes name pieces in bulk.
        assertThat(ctx.memberService().search(name.substring(name.length() - 2))).contains(s.member());
    }

    @Test
    void refusesAStoreThatAlreadyHasGeneratedMembers() {
        assertThatThrownBy(() -> ctx.scaleStoreGenerator().generate(10, 10, (m, t, r, p) -> { }))
                .isInstanceOf(BusinessRuleException.class);
    }
}
