package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TierLedgerTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate START = LocalDate.of(2026, 3, 10);

    @TempDir
    Path dir;
    TerminalWiring ctx;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH,
                new TestClock(START.atTime(10, 0).atZone(ZONE).toInstant(), ZONE));
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    /** The review reasons are listed in the query (not matched by prefix), so a new one must not be missed. */
    @Test
    void everyReviewReasonAndNoOtherCountsAsAReview() {
        for (TierReason reason : TierReason.values()) {
            int i = reason.ordinal();
            Member m = ctx.memberService().enrol("会员" + i, "1360000000" + i, null);
            LocalDate on = START.minusDays(i + 1);
            record(m, reason, on);

            assertThat(lastReviewedOn(m)).as(reason.name())
                    .isEqualTo(reason.name().startsWith("REVIEW") ? Optional.of(on) : Optional.empty());
        }
    }

    @Test
    void theLastReviewIsTheLatestReviewNotTheLatestChange() {
        Member m = ctx.memberService().enrol("赵敏", "13600001234", null);
        record(m, TierReason.REVIEW_KEPT, START.minusDays(400));
        record(m, TierReason.REVIEW_DOWNGRADE, START.minusDays(35));
        record(m, TierReason.UPGRADE, START.minusDays(3));

        assertThat(lastReviewedOn(m)).contains(START.minusDays(35));
    }

    private void record(Member m, TierReason reason, LocalDate on) {
        OffsetDateTime at = on.atTime(9, 0).atZone(ZONE).toOffsetDateTime();
        ctx.database().jdbi().useHandle(h -> ctx.tierLedger().record(h, m.id(), Tier.NORMAL, Tier.NORMAL, reason, 0, 1, at, 1));
    }

    private Optional<LocalDate> lastReviewedOn(Member m) {
        return ctx.database().jdbi().withHandle(h -> ctx.tierLedger().lastReviewedOn(h, m.id()));
    }
}
