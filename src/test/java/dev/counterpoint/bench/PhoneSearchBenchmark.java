package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.wiring.TerminalWiring;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Counter search on the bench store: last four phone digits, a name's first two characters and two characters from
 * inside a name, as {@code MemberService.search} runs them (indexed {@code phone_last4}, {@code name_search} prefix,
 * the two-character name index, decision 0028), against the naive query a first version
 * would write, {@code LOWER(phone) LIKE '%x%' OR LOWER(name) LIKE '%x%'}, on a copy table with a plain phone
 * column. We keep no plain phone numbers, so the copy's phone is the masked one (same length, same scan cost).
 */
class PhoneSearchBenchmark {
    static final int SEARCHES = 1_000;
    static final int NAIVE_SEARCHES = Integer.getInteger("bench.naiveSearches", 20);
    static final int LIMIT = 20;

    private static String ratio(BenchResults.Latency naive, BenchResults.Latency indexed) {
        return Math.round(naive.p99Micros() / indexed.p99Micros()) + "×";
    }

    @Test
    void indexedSearchAgainstNaiveLike() throws Exception {
        try (TerminalWiring ctx = TerminalWiring.open(BenchStore.dataDir(), Locale.ENGLISH, Clock.systemDefaultZone())) {
            var jdbi = ctx.database().jdbi();
            MemberRepository repo = ctx.memberRepository();
            List<String> last4 = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> fragments = new ArrayList<>();
            jdbi.useHandle(h -> {
                h.execute("DROP TABLE IF EXISTS bench_member_naive");
                h.execute("CREATE TABLE bench_member_naive AS SELECT id, display_name AS name, phone_masked AS phone FROM member");
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
            long[] byLast4 = new long[SEARCHES];
            long[] byName = new long[SEARCHES];
            long[] byFragment = new long[SEARCHES];
            int found = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int i = 0; i < SEARCHES; i++) {
                    int k = i;
                    long t0 = System.nanoTime();
                    int a = jdbi.withHandle(h -> repo.findByPhoneLast4(h, last4.get(k), LIMIT)).size();
                    long t1 = System.nanoTime();
                    int b = jdbi.withHandle(h -> repo.findByName(h, names.get(k), LIMIT)).size();
                    long t2 = System.nanoTime();
                    int c = jdbi.withHandle(h -> repo.findByName(h, fragments.get(k), LIMIT)).size();
                    long t3 = System.nanoTime();
                    byLast4[i] = t1 - t0;
                    byName[i] = t2 - t1;
                    byFragment[i] = t3 - t2;
                    found += round == 1 ? a + b + c : 0;
                }
            }
            long[] naive = new long[NAIVE_SEARCHES * 3];
            jdbi.useHandle(h -> {
                var ps = h.getConnection().prepareStatement("""
                        SELECT id, name, phone FROM bench_member_naive
                        WHERE LOWER(phone) LIKE ? OR LOWER(name) LIKE ? ORDER BY name LIMIT ?""");
                for (int i = 0; i < naive.length; i++) {
                    String x = switch (i % 3) {
                        case 0 -> last4.get(i);
                        case 1 -> names.get(i);
                        default -> fragments.get(i);
                    };
                    long t0 = System.nanoTime();
                    ps.setString(1, "%" + x.toLowerCase(Locale.ROOT) + "%");
                    ps.setString(2, "%" + x.toLowerCase(Locale.ROOT) + "%");
                    ps.setInt(3, LIMIT);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(2);
                        }
                    }
                    naive[i] = System.nanoTime() - t0;
                }
                ps.close();
                h.execute("DROP TABLE bench_member_naive");
            });
            assertThat(found).isPositive();
            BenchResults.Latency l4 = BenchResults.Latency.of(byLast4);
            BenchResults.Latency nm = BenchResults.Latency.of(byName);
            BenchResults.Latency fr = BenchResults.Latency.of(byFragment);
            BenchResults.Latency nv = BenchResults.Latency.of(naive);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("last4", l4);
            figures.put("name_prefix", nm);
            figures.put("name_fragment", fr);
            figures.put("naive_like", nv);
            figures.put("naive_over_last4_p99", Math.round(nv.p99Micros() / l4.p99Micros()));
            figures.put("naive_over_name_p99", Math.round(nv.p99Micros() / nm.p99Micros()));
            figures.put("naive_over_fragment_p99", Math.round(nv.p99Micros() / fr.p99Micros()));
            String naiveP99 = "naive LIKE p99 " + BenchResults.ms(nv.p99Micros());
            BenchResults.record("phone-search", figures,
                    BenchResults.Row.target("search, last 4 phone digits, p99", BenchResults.ms(l4.p99Micros()),
                            naiveP99 + ": " + ratio(nv, l4), "≥ 100× faster", nv.p99Micros() >= 100 * l4.p99Micros()),
                    BenchResults.Row.target("search, name start (2 chars), p99", BenchResults.ms(nm.p99Micros()),
                            naiveP99 + ": " + ratio(nv, nm), "≥ 100× faster", nv.p99Micros() >= 100 * nm.p99Micros()),
                    BenchResults.Row.target("search, name fragment (2 chars), p99", BenchResults.ms(fr.p99Micros()),
                            naiveP99 + ": " + ratio(nv, fr), "≥ 100× faster", nv.p99Micros() >= 100 * fr.p99Micros()));
        }
    }
}
