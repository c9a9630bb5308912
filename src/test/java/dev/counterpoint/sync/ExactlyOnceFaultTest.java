package dev.counterpoint.sync;

import dev.counterpoint.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.testing.OfficePostgres;
import dev.counterpoint.wiring.TerminalWiring;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once under a hostile network: two terminals sell, redeem and enrol while a proxy cuts their sync
 * connections at random points, and already-confirmed batches are replayed on purpose. At the end head office
 * and both terminals hold exactly the same events, entries and balances. Every tenth sync starts a fresh engine, as a
 * restarted terminal does, so the outbox is compared with head office mid-way: a cut push is never taken for a restore
 * (nothing renumbered, the same numbers here and there). Every fifth round both terminals sync at once. Rounds:
 * -Dsync.faultRounds (default 300; the "soak" Maven profile runs 3000). The same rounds run against two head-office
 * nodes on one PostgreSQL behind the proxy, which sends each connection to the next node in turn
 * (-Dsync.faultRoundsTwoNodes, default 120): nodes that share nothing but the database decide as one office does.
 */
class ExactlyOnceFaultTest {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceFaultTest.class);
    private static final int MAX_ATTEMPTS = 200;

    @TempDir
    Path tmp;

    @Test
    void noLossNoDoublesWhateverTheNetworkDoes() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2(); FaultProxy proxy = new FaultProxy(office.port, seed(), 0.5)) {
            rounds(office, proxy, Integer.getInteger("sync.faultRounds", 300));
        }
    }

    @Test
    void twoOfficeNodesOnOnePostgresDecideAsOne() throws Exception {
        List<OfficeDatabase> nodes = OfficePostgres.freshDatabaseNodes(2);
        try (OfficeHarness office = new OfficeHarness(nodes.get(0), 8);
             OfficeDatabase secondDb = nodes.get(1);
             OfficeServer second = new OfficeServer(secondDb, Clock.systemUTC(), OfficeHarness.json(), 8)) {
            int secondPort = second.start("127.0.0.1", 0);
            try (FaultProxy proxy = new FaultProxy(new int[] {office.port, secondPort}, seed(), 0.5)) {
                rounds(office, proxy, Integer.getInteger("sync.faultRoundsTwoNodes", 120));
                assertThat(proxy.served(0)).as("requests to the first node").isPositive();
                assertThat(proxy.served(1)).as("requests to the second node").isPositive();
            }
        }
    }

    private static long seed() {
        return Long.getLong("sync.faultSeed", 20260310L);
    }

    private void rounds(OfficeHarness office, FaultProxy proxy, int rounds) throws Exception {
        Random random = new Random(seed());
        URI viaProxy = URI.create("http://127.0.0.1:" + proxy.port());
        TestClock clockA = OfficeHarness.clockAt(OfficeHarness.START);
        TestClock clockB = OfficeHarness.clockAt(OfficeHarness.START);
        TerminalWiring a = office.terminal(tmp.resolve("a"), "S001", "T1", clockA, office.url(), viaProxy);
        TerminalWiring b = office.terminal(tmp.resolve("b"), "S002", "T1", clockB, office.url(), viaProxy);
        List<TerminalWiring> terminals = List.of(a, b);
        List<UUID> members = new ArrayList<>();
        int replays = 0;
        int failedAttempts = 0;
        for (int round = 0; round < rounds; round++) {
            int which = random.nextInt(2);
            TerminalWiring t = terminals.get(which);
            (which == 0 ? clockA : clockB).advance(Duration.ofSeconds(1 + random.nextInt(30)));
            act(t, members, random);
            if (random.nextInt(3) == 0) {
                replays += forgetSomeVerdicts(t, random);
            }
            failedAttempts += round % 10 == 0 ? syncUntilDone(t, restarted(t)) : syncUntilDone(t);
            if (round % 5 == 4) {
                failedAttempts += syncAtOnce(a, b);
            } else if (random.nextInt(4) == 0) {
                failedAttempts += syncUntilDone(terminals.get(random.nextInt(2)));
            }
        }
        failedAttempts += syncUntilDone(a) + syncUntilDone(b) + syncUntilDone(a);
        LOG.info("{} rounds, {} deliberate replays, {} failed attempts, faults: before={} afterCommit={} midResponse={} pass={}",
                rounds, replays, failedAttempts, proxy.count(FaultProxy.Fault.CUT_BEFORE_REQUEST),
                proxy.count(FaultProxy.Fault.CUT_AFTER_COMMIT), proxy.count(FaultProxy.Fault.CUT_MID_RESPONSE),
                proxy.count(FaultProxy.Fault.PASS));

        for (FaultProxy.Fault f : FaultProxy.Fault.values()) {
            assertThat(proxy.count(f)).as("fault %s happened", f).isPositive();
        }
        assertThat(replays).isPositive();
        long events = count(a, "SELECT COUNT(*) FROM outbox_event") + count(b, "SELECT COUNT(*) FROM outbox_event");
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(events);
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox WHERE verdict = 'REJECTED'")).isZero();
        for (TerminalWiring t : terminals) {
            assertThat(count(t, "SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL OR verdict IS NULL")).isZero();
            assertThat(OfficeSyncContract.localEventIds(t)).isEqualTo(OfficeSyncContract.officeEventIds(office, t.config().storeId()));
            assertThat(count(t, "SELECT MAX(terminal_seq) FROM outbox_event")).isEqualTo(count(t, "SELECT COUNT(*) FROM outbox_event"));
            assertThat(count(t, "SELECT COUNT(*) FROM member")).isEqualTo(office.officeLong("SELECT COUNT(*) FROM member"));
        }
        // Each store holds exactly the purchases and points of the members whose records it keeps, from whichever
        // store, and every member it holds has the balance head office has.
        String keptBy = """
                EXISTS (SELECT 1 FROM member m JOIN member_store s ON s.member_id = COALESCE(m.survivor_id, m.id)
                        WHERE m.id = x.member_id AND s.store_id = ?)""";
        for (TerminalWiring t : terminals) {
            assertThat(count(t, "SELECT COUNT(*) FROM purchase")).isEqualTo(
                    office.officeLong("SELECT COUNT(*) FROM purchase x WHERE " + keptBy, t.config().storeId()));
            assertThat(count(t, "SELECT COUNT(*) FROM points_entry")).isEqualTo(
                    office.officeLong("SELECT COUNT(*) FROM points_entry x WHERE " + keptBy, t.config().storeId()));
            for (UUID m : members) {
                boolean held = t.database().jdbi().withHandle(h -> new ChainHistory(t.config().storeId(), true).held(h, m));
                if (held) {
                    long atOffice = office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", m);
                    assertThat(OfficeSyncContract.points(t, m)).as("member %s at %s", m, t.config().storeId())
                            .isEqualTo(atOffice);
                }
            }
        }
    }

    /** Both terminals sync at the same time (each until it gets through); the failed attempts of both. */
    private static int syncAtOnce(TerminalWiring a, TerminalWiring b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = pool.submit(() -> syncUntilDone(a));
            Future<Integer> second = pool.submit(() -> syncUntilDone(b));
            return first.get() + second.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /** One to three counter actions on members this terminal knows. */
    private static void act(TerminalWiring t, List<UUID> members, Random random) {
        int actions = 1 + random.nextInt(3);
        for (int i = 0; i < actions; i++) {
            List<UUID> known = t.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM member WHERE status = 'ACTIVE' ORDER BY id")
                    .mapTo(UUID.class).list());
            int choice = known.isEmpty() ? 0 : random.nextInt(10);
            if (choice == 0) {
                String phone = "139" + String.format("%08d", random.nextInt(100_000_000));
                try {
                    Member m = t.memberService().enrol("会员" + members.size(), phone, null);
                    members.add(m.id());
                } catch (BusinessRuleException e) {
                    // phone already taken here: the counter refuses, nothing written
                }
            } else if (choice < 8) {
                t.checkoutService().recordSale(known.get(random.nextInt(known.size())), 100L * (1 + random.nextInt(500)), List.of());
            } else {
                UUID m = known.get(random.nextInt(known.size()));
                try {
                    t.syncEngine().orElseThrow().fetchHistory(m); // the counter asks when it shows the member
                } catch (SyncException e) {
                    // cut off: the balance is not here, and the counter refuses to spend from it
                }
                boolean held = t.database().jdbi().withHandle(h -> new ChainHistory(t.config().storeId(), true).held(h, m));
                long balance = held ? OfficeSyncContract.points(t, m) : 0;
                if (balance >= 100) {
                    t.checkoutService().redeemPoints(m, 100L * (1 + random.nextInt((int) Math.min(balance / 100, 5))));
                }
            }
        }
    }

    /** Pretends some verdicts were never received, so those events are pushed again. */
    private static int forgetSomeVerdicts(TerminalWiring t, Random random) {
        return t.database().jdbi().withHandle(h -> h.createUpdate("""
                UPDATE outbox_event SET pushed_at = NULL WHERE pushed_at IS NOT NULL AND MOD(terminal_seq, :m) = :r""")
                .bind("m", 2 + random.nextInt(5)).bind("r", random.nextInt(2)).execute());
    }

    private static int syncUntilDone(TerminalWiring t) {
        return syncUntilDone(t, t.syncEngine().orElseThrow());
    }

    /** A new engine over the terminal's database, as after a restart: its first sync compares the outbox with head office. */
    private static SyncEngine restarted(TerminalWiring t) {
        return new SyncEngine(t.database().jdbi(), OfficeSyncContract.client(t), t.json(), t.hlc(), t.clock(), t.memberRepository(),
                t.config().storeId(), t.config().terminalId());
    }

    private static int syncUntilDone(TerminalWiring t, SyncEngine engine) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                engine.syncOnce();
                return attempt;
            } catch (SyncException e) {
                assertThat(e.kind()).isEqualTo(SyncException.Kind.UNREACHABLE);
            }
        }
        throw new AssertionError("no sync got through in " + MAX_ATTEMPTS + " attempts");
    }

    private static long count(TerminalWiring t, String sql) {
        return t.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
