package dev.counterpoint.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.protocol.AuditChain;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log is a hash chain: any change, removal or reordering of an entry is found, naming the first one. */
class AuditLogTest {
    @TempDir
    Path dir;
    TerminalWiring ctx;

    @BeforeEach
    void open() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, Clock.fixed(Instant.parse("2026-11-23T02:00:00Z"), ZoneId.of("UTC")));
        for (int i = 1; i <= 4; i++) {
            int n = i;
            ctx.database().jdbi().useTransaction(h -> ctx.auditLog().append(h, "li", AuditAction.BALANCE_ADJUSTED,
                    "card-" + n, Map.of("points", Integer.toString(n * 10))));
        }
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private java.util.Optional<AuditLog.Break> verify() {
        return ctx.database().jdbi().withHandle(ctx.auditLog()::verify);
    }

    @Test
    void anIntactChainVerifiesAndEachEntryIsAlsoAnEvent() {
        assertThat(verify()).isEmpty();
        var entries = ctx.database().jdbi().withHandle(ctx.auditLog()::entries);
        assertThat(entries).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(entries.get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).hash());
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'audit.recorded'")).isEqualTo(4);
    }

    @Test
    void aChangedEntryIsFoundByItsOwnHash() {
        ctx.database().jdbi().useHandle(h -> h.execute("UPDATE audit_log SET detail = '{\"points\":\"9999\"}' WHERE seq = 3"));
        assertThat(verify()).hasValueSatisfying(b -> {
            assertThat(b.seq()).isEqualTo(3);
            assertThat(b.reason()).contains("changed after it was written");
        });
    }

    @Test
    void aChangedEntryWhoseHashWasMadeAgainBreaksTheNextOne() {
        ctx.database().jdbi().useHandle(h -> h.execute("UPDATE audit_log SET subject = 'card-x', hash = '"
                + "1".repeat(64) + "' WHERE seq = 2"));
        assertThat(verify()).hasValueSatisfying(b -> assertThat(b.seq()).isEqualTo(2));
    }

    @Test
    void aRemovedEntryIsFoundWhereverItWas() {
        ctx.database().jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 2"));
        assertThat(verify()).hasValueSatisfying(b -> {
            assertThat(b.seq()).isEqualTo(2);
            assertThat(b.reason()).contains("missing");
        });
        ctx.database().jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq >= 3"));
        assertThat(verify()).hasValueSatisfying(b -> assertThat(b.seq()).isEqualTo(2));
    }

    @Test
    void theLastEntriesRemovedAreFoundByTheChainsEnd() {
        ctx.database().jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 4"));
        assertThat(verify()).hasValueSatisfying(b -> {
            assertThat(b.seq()).isEqualTo(4);
            assertThat(b.reason()).contains("missing");
        });
    }
}
