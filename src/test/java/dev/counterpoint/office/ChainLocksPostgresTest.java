package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.testing.OfficePostgres;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL pushes write side by side: two pushes wait for each other only over a member (or terminal) they share,
 * an owner's action still runs alone, and a change is within the feed's end only once every older transaction has
 * ended, so a terminal's cursor never passes a change committed late.
 */
class ChainLocksPostgresTest {
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-03-10T10:00:00Z");
    private static final TerminalIdentity T1 = new TerminalIdentity("S001", "T1");
    private static final TerminalIdentity T2 = new TerminalIdentity("S002", "T1");
    private static OfficeDatabase db;
    private static Jdbi jdbi;
    private final ObjectMapper json = ProtocolJson.newMapper();

    @BeforeAll
    static void start() {
        db = OfficePostgres.freshDatabase();
        jdbi = db.jdbi();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void pushesOverDifferentMembersRunTogetherAndOverTheSameMemberOneAfterTheOther() throws Exception {
        UUID shared = UUID.randomUUID();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> jdbi.useTransaction(h -> {
            ChainLocks.push(h, Set.of(ChainLocks.terminal(T1), ChainLocks.member(shared)));
            held.countDown();
            await(release);
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        // Another terminal, another member: not held up by the open push.
        CompletableFuture.runAsync(() -> jdbi.useTransaction(h ->
                ChainLocks.push(h, Set.of(ChainLocks.terminal(T2), ChainLocks.member(UUID.randomUUID())))))
                .get(5, TimeUnit.SECONDS);
        // The same member: waits until the first push ends.
        CompletableFuture<Void> same = CompletableFuture.runAsync(() -> jdbi.useTransaction(h ->
                ChainLocks.push(h, Set.of(ChainLocks.terminal(T2), ChainLocks.member(shared)))));
        assertThatThrownBy(() -> same.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        // An owner's action runs alone: it waits for the push too.
        CompletableFuture<Long> owner = CompletableFuture.supplyAsync(() -> jdbi.inTransaction(ChainLocks::exclusive));
        assertThatThrownBy(() -> owner.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        same.get(10, TimeUnit.SECONDS);
        assertThat(owner.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void theChainLockIsTakenBeforeATransactionWritesOrNotAtAll() {
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
            h.createQuery("SELECT pg_current_xact_id()").mapTo(String.class).one(); // what a first write does
            ChainLocks.exclusive(h);
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("before the transaction's first write");
    }

    @Test
    void aChangeCommittedLateIsNumberedAfterThoseBeforeItAndNoCursorPassesIt() throws Exception {
        jdbi.useHandle(h -> h.execute("DELETE FROM change_log"));
        long start = end();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // The older transaction writes its change first, then stays open.
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> jdbi.useTransaction(h -> {
            ChainLocks.push(h, Set.of(ChainLocks.terminal(T1), ChainLocks.member(older)));
            writer(h).append(tag(older), T1);
            written.countDown();
            await(commit);
        }));
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        // A younger one commits meanwhile: its change is written, but beyond the feed's end while the older one is open.
        jdbi.useTransaction(h -> {
            ChainLocks.push(h, Set.of(ChainLocks.terminal(T2), ChainLocks.member(newer)));
            writer(h).append(tag(newer), T2);
        });
        long whileOpen = end();
        assertThat(members()).containsExactly(newer);
        assertThat(seqOf(newer)).isGreaterThan(whileOpen);
        // A terminal's cursor jumps no further than the end: the older change, once committed, is still ahead of it.
        assertThat(whileOpen).isGreaterThanOrEqualTo(start);

        commit.countDown();
        slow.get(10, TimeUnit.SECONDS);
        long after = end();
        assertThat(seqOf(older)).isGreaterThan(whileOpen).isLessThanOrEqualTo(after);
        assertThat(seqOf(newer)).isLessThanOrEqualTo(after);
        // Numbered in the order their transactions began: the one a cursor could otherwise have passed comes first.
        assertThat(members()).containsExactly(older, newer);
    }

    @Test
    void numbersHandedOutBeforeChangesWereNumberedByTransactionStayBelowTheEnd() {
        // A feed numbered one by one (as under the lock, and as its last waiting changes were numbered on upgrading).
        long last = jdbi.inTransaction(h -> {
            long seq = h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1").mapTo(Long.class).one() + 1;
            h.execute("UPDATE feed_lock SET last_seq = ? WHERE id = 1", seq);
            return seq;
        });
        assertThat(end()).isGreaterThanOrEqualTo(last);
        long written = jdbi.inTransaction(h -> {
            ChainLocks.push(h, Set.of(ChainLocks.terminal(T1), ChainLocks.member(UUID.randomUUID())));
            UUID m = UUID.randomUUID();
            writer(h).append(tag(m), T1);
            return h.createQuery("SELECT seq FROM change_log WHERE member_id = :m").bind("m", m).mapTo(Long.class).one();
        });
        assertThat(written).isGreaterThan(last).isLessThanOrEqualTo(end());
    }

    @Test
    void anEnrolmentsOrderComesAfterEveryNumberHandedOutBefore() {
        long a = jdbi.inTransaction(h -> writer(h).order());
        long b = jdbi.inTransaction(h -> writer(h).order());
        assertThat(b).isGreaterThan(a);
        assertThat(a).isGreaterThanOrEqualTo(jdbi.withHandle(h -> h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1")
                .mapTo(Long.class).one()));
    }

    private FeedWriter writer(Handle h) {
        return FeedWriter.forPush(h, json, NOW, null, -1);
    }

    private static Change tag(UUID member) {
        return new Change.MemberTag(member, "VIP", true, NOW, "S001", null, 1);
    }

    private static long end() {
        return jdbi.withHandle(FeedWriter::end);
    }

    private static long seqOf(UUID member) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM change_log WHERE member_id = :m").bind("m", member)
                .mapTo(Long.class).one());
    }

    private static List<UUID> members() {
        return jdbi.withHandle(h -> h.createQuery("SELECT member_id FROM change_log ORDER BY seq").mapTo(UUID.class).list());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
