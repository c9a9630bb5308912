package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.MemberService;
import dev.counterpoint.wiring.TerminalWiring;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Counter search on the bench store, as the counter runs it ({@code MemberService.search}: last four phone digits, a
 * name's first two characters, two characters from inside a name), timed and with the bytes it allocates, against
 * the paged query a peer's member screen runs: {@code WHERE phone ILIKE '%1234%' LIMIT 20} and
 * {@code WHERE name ILIKE '%小明%' LIMIT 20} on a copy table made in the same store with a plain phone column (we keep
 * no plain numbers, so plausible 11-digit numbers ending in each member's last four digits are made up for it).
 */
class PhoneSearchBenchmark {
    static final int SEARCHES = 1_000;
    static final int PEER_SEARCHES = Integer.getInteger("bench.peerSearches", 200);
    static final int LIMIT = 20;

    private record Kind(String name, List<String> queries, long[] nanos, long[] bytes) {
        Kind(String name, List<String> queries) {
            this(name, queries, new long[SEARCHES], new long[SEARCHES]);
        }
    }

    @Test
    void searchAgainstAPeersPagedIlike() throws Exception {
        try (TerminalWiring ctx = TerminalWiring.open(BenchStore.dataDir(), Locale.ENGLISH, Clock.systemDefaultZone())) {
            var jdbi = ctx.database().jdbi();
            MemberService members = ctx.memberService();
            List<String> last4 = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> fragments = new ArrayList<>();
            jdbi.useHandle(h -> {
                SplittableRandom r = new SplittableRandom(7);
                List<String> all = h.createQuery("SELECT display_name FROM member WHERE MOD(updated_hlc, 97) = 0")
                        .mapTo(String.class).list();
                for (int i = 0; i < SEARCHES; i++) {
                    last4.add(String.format("%04d", r.nextInt(10_000)));
                    String n = all.get(r.nextInt(all.size()));
                    names.add(n.substring(0, Math.min(n.length(), 2)));
                    // From inside the name where it is long enough (the given name of 王小明), else its end.
                    String f = all.get(r.nextInt(all.size()));
                    fragments.add(f.length() >= 3 ? f.substring(1, 3) : f.substring(Math.max(0, f.length() - 2)));
                }
            });
            Kind byLast4 = new Kind("last4", last4);
            Kind byName = new Kind("name_start", names);
            Kind byFragment = new Kind("name_fragment", fragments);
            long overhead = Allocations.overhead();
            int found = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int i = 0; i < SEARCHES; i++) {
                    for (Kind k : List.of(byLast4, byName, byFragment)) {
                        String q = k.queries().get(i);
                        long b0 = Allocations.now();
                        long t0 = System.nanoTime();
                        int n = members.search(q).size();
                        long t1 = System.nanoTime();
                        long b1 = Allocations.now();
                        assertThat(n).isLessThanOrEqualTo(LIMIT);
                        k.nanos()[i] = t1 - t0;
                        k.bytes()[i] = b1 - b0;
                        found += round == 1 ? n : 0;
                    }
                }
            }
            assertThat(found).isPositive();

            Kind peerLast4 = new Kind("peer_last4", last4.subList(0, PEER_SEARCHES), new long[PEER_SEARCHES],
                    new long[PEER_SEARCHES]);
            Kind peerName = new Kind("peer_name_start", names.subList(0, PEER_SEARCHES), new long[PEER_SEARCHES],
                    new long[PEER_SEARCHES]);
            Kind peerFragment = new Kind("peer_name_fragment", fragments.subList(0, PEER_SEARCHES),
                    new long[PEER_SEARCHES], new long[PEER_SEARCHES]);
            jdbi.useHandle(h -> {
                makePeerTable(h);
                try (PreparedStatement phone = h.getConnection().prepareStatement(
                        "SELECT id, name, phone FROM bench_member_peer WHERE phone ILIKE ? LIMIT " + LIMIT);
                     PreparedStatement name = h.getConnection().prepareStatement(
                             "SELECT id, name, phone FROM bench_member_peer WHERE name ILIKE ? LIMIT " + LIMIT)) {
                    // One warm-up query of each, then every sample.
                    peer(phone, last4.get(0));
                    peer(name, fragments.get(0));
                    for (int i = 0; i < PEER_SEARCHES; i++) {
                        time(peerLast4, i, q -> peer(phone, q));
                        time(peerName, i, q -> peer(name, q));
                        time(peerFragment, i, q -> peer(name, q));
                    }
                } finally {
                    h.execute("DROP TABLE bench_member_peer");
                }
            });

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("searches", SEARCHES);
            figures.put("peer_searches", PEER_SEARCHES);
            List<BenchResults.Row> rows = new ArrayList<>();
            for (Kind[] pair : new Kind[][] {{byLast4, peerLast4}, {byFragment, peerFragment}, {byName, peerName}}) {
                BenchResults.Latency ours = BenchResults.Latency.of(pair[0].nanos());
                BenchResults.Latency theirs = BenchResults.Latency.of(pair[1].nanos());
                Allocations.Summary ourBytes = Allocations.Summary.of(pair[0].bytes(), overhead);
                Allocations.Summary theirBytes = Allocations.Summary.of(pair[1].bytes(), overhead);
                long p50 = Math.round(theirs.p50Micros() / ours.p50Micros());
                long p99 = Math.round(theirs.p99Micros() / ours.p99Micros());
                figures.put(pair[0].name(), ours);
                figures.put(pair[0].name() + "_allocated", ourBytes);
                figures.put(pair[1].name(), theirs);
                figures.put(pair[1].name() + "_allocated", theirBytes);
                figures.put(pair[0].name() + "_ratio_p50", p50);
                figures.put(pair[0].name() + "_ratio_p99", p99);
                rows.add(BenchResults.Row.target("search, " + pair[0].name().replace('_', ' ') + " (page of " + LIMIT + ")",
                        "p50 " + BenchResults.ms(ours.p50Micros()) + " · p99 " + BenchResults.ms(ours.p99Micros())
                                + ", " + ourBytes.text(),
                        "peer's ILIKE … LIMIT " + LIMIT + " p50 " + BenchResults.ms(theirs.p50Micros()) + " · p99 "
                                + BenchResults.ms(theirs.p99Micros()) + ": " + p50 + "× · " + p99 + "×",
                        "≥ 100× at p50, ≥ 50× at p99", p50 >= 100 && p99 >= 50));
            }
            figures.put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            BenchResults.record("phone-search", figures, rows.toArray(BenchResults.Row[]::new));
        }
    }

    /**
     * The peer's member table in the same store: id, name and a plain phone, an 11-digit mobile number made up from
     * the row number and ending in the member's real last four digits (null where the member gave no phone).
     */
    private static void makePeerTable(Handle h) {
        h.execute("DROP TABLE IF EXISTS bench_member_peer");
        h.execute("""
                CREATE TABLE bench_member_peer AS
                SELECT id, display_name AS name,
                       CASE WHEN phone_last4 IS NULL THEN NULL
                            ELSE '1' || CAST(3 + MOD(ROWNUM(), 7) AS VARCHAR)
                                 || LPAD(CAST(MOD(ROWNUM() * 7919, 100000) AS VARCHAR), 5, '0') || phone_last4 END AS phone
                FROM member""");
        String sample = h.createQuery("SELECT phone FROM bench_member_peer WHERE phone IS NOT NULL LIMIT 1")
                .mapTo(String.class).one();
        assertThat(sample).matches("1[3-9]\\d{9}");
    }

    private interface Query {
        int run(String q) throws Exception;
    }

    private static void time(Kind k, int i, Query query) throws Exception {
        long b0 = Allocations.now();
        long t0 = System.nanoTime();
        query.run(k.queries().get(i));
        long t1 = System.nanoTime();
        long b1 = Allocations.now();
        k.nanos()[i] = t1 - t0;
        k.bytes()[i] = b1 - b0;
    }

    /** Runs the peer's query for {@code q}, reading every column of every row; returns the rows. */
    private static int peer(PreparedStatement ps, String q) throws Exception {
        ps.setString(1, "%" + q + "%");
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getObject(1);
                rs.getString(2);
                rs.getString(3);
                rows++;
            }
        }
        return rows;
    }
}
