package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a push costs head office in statements, each a round trip on PostgreSQL: what it reads is read once per batch,
 * and its rows go out in batches, so an event runs few statements of its own.
 */
class PushStatementsTest {
    private static final int MEMBERS = 50;

    @TempDir
    Path tmp;

    @Test
    void enrolmentsAndSalesRunAFewStatementsEachAtHeadOffice() {
        try (OfficeHarness office = OfficeHarness.h2()) {
            TerminalWiring t = office.terminal(tmp.resolve("t"), "S001", "T1", OfficeHarness.clockAt(OfficeHarness.START));
            List<UUID> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                Member m = t.memberService().enrol("会员" + i, "138" + String.format("%08d", i), null);
                members.add(m.id());
            }
            for (UUID m : members) {
                t.checkoutService().recordSale(m, 5_000L, List.of());
            }
            AtomicInteger statements = new AtomicInteger();
            office.jdbi().setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext context) {
                    statements.incrementAndGet();
                }
            });

            SyncReport r = t.syncEngine().orElseThrow().syncOnce();

            assertThat(r.verdicts()).isEqualTo(Map.of("ACCEPTED", 2 * MEMBERS));
            // An enrolment asks who else has its phone and inserts its member; a new member has no history to read and
            // send, and is known to be new from the batch's members, read together. The sales run none of their own.
            assertThat(statements.get()).isLessThan(3 * MEMBERS);
            // What the enrolments must still leave: each member kept by its store, with its phone box.
            assertThat(office.officeLong("SELECT COUNT(*) FROM member_store WHERE store_id = 'S001'")).isEqualTo(MEMBERS);
            assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE phone_box IS NOT NULL")).isEqualTo(MEMBERS);
            assertThat(office.officeLong("SELECT COUNT(*) FROM purchase")).isEqualTo(MEMBERS);
        }
    }
}
