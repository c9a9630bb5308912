package dev.counterpoint.office.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.testing.OfficePostgres;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Distinct members and one-purchase members over many periods, counted both ways from visits written in random order
 * and random batches, against the same counts made by grouping the purchases by member.
 */
class MemberCountsTest {
    private static final LocalDate DAY0 = LocalDate.of(2026, 1, 1);
    private static int databases;

    private record Bought(String store, UUID member, LocalDate day) {
    }

    private static List<Supplier<OfficeDatabase>> databases() {
        return List.of(() -> {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:member-counts-" + ++databases + ";DB_CLOSE_DELAY=-1");
            return OfficeDatabase.of(ds);
        }, OfficePostgres::freshDatabase);
    }

    @Test
    void bothWaysCountWhatGroupingByMemberCounts() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Random random = new Random(20261205);
                List<UUID> members = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    members.add(new UUID(1, i));
                }
                List<Bought> bought = new ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    // Some members come often, some rarely; long gaps and same-day purchases both occur.
                    UUID m = members.get((int) Math.min(members.size() - 1, Math.abs(random.nextGaussian()) * 12));
                    bought.add(new Bought("S" + (1 + random.nextInt(3)), m, DAY0.plusDays(random.nextInt(400))));
                }
                List<Bought> shuffled = new ArrayList<>(bought);
                Collections.shuffle(shuffled, random);
                for (int from = 0; from < shuffled.size(); ) {
                    int to = Math.min(shuffled.size(), from + 1 + random.nextInt(80));
                    List<Bought> chunk = shuffled.subList(from, to);
                    db.jdbi().useTransaction(h -> {
                        RollupBatch batch = new RollupBatch();
                        for (Bought b : chunk) {
                            batch.purchase(b.store(), b.member(), OffsetDateTime.of(b.day(), LocalTime.NOON,
                                    java.time.ZoneOffset.ofHours(8)), 1000, true);
                        }
                        batch.flush(h);
                    });
                    from = to;
                }
                List<LocalDate[]> periods = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    LocalDate f = DAY0.plusDays(random.nextInt(420) - 10);
                    periods.add(new LocalDate[] {f, f.plusDays(random.nextInt(i % 3 == 0 ? 366 : 40))});
                }
                periods.add(new LocalDate[] {DAY0, DAY0.plusDays(365)});
                periods.add(new LocalDate[] {DAY0.plusDays(399), DAY0.plusDays(399)});
                MemberCounts.Aside elsewhere = new MemberCounts.Aside() {
                    @Override
                    public <T> java.util.concurrent.CompletableFuture<T> read(java.util.function.Function<org.jdbi.v3.core.Handle, T> read) {
                        return java.util.concurrent.CompletableFuture.supplyAsync(() -> db.jdbi().withHandle(read::apply));
                    }
                };
                for (LocalDate[] p : periods) {
                    Map<String, long[]> expected = byMember(bought, p[0], p[1]);
                    for (MemberCounts.Method method : MemberCounts.Method.values()) {
                        for (Optional<String> scope : List.of(Optional.<String>empty(), Optional.of("S2"))) {
                            Map<String, Long> firstTime = new HashMap<>();
                            // The period with a window of 30 days ending on its last day, as a report asks, and the
                            // members active in the 30, 60, 90, 120 and 365 days ending on it: read alone, and with
                            // the counts as a report reads them.
                            Map<String, long[]> activeWithCounts = new HashMap<>();
                            // Counted cumulatively, the spanning stretches are read on a second connection, as a
                            // report reads them.
                            List<Map<String, MemberCounts.Counts>> all = db.jdbi().withHandle(h -> MemberCounts.count(h,
                                    method == MemberCounts.Method.CUMULATIVE ? elsewhere : MemberCounts.Aside.on(h), p[1],
                                    List.of(new MemberCounts.Window(p[0], true), new MemberCounts.Window(p[1].minusDays(29), false)),
                                    scope, method, firstTime, activeWithCounts));
                            Map<String, MemberCounts.Counts> counts = all.get(0);
                            Map<String, long[]> active = db.jdbi().withHandle(h -> MemberCounts.active(h, p[1], scope));
                            assertThat(activeWithCounts).as("active with the counts").containsOnlyKeys(active.keySet());
                            active.forEach((s, a) -> assertThat(activeWithCounts.get(s)).as("active with the counts, " + s)
                                    .containsExactly(a));
                            for (String s : List.of("S1", "S2", "S3", RollupBatch.CHAIN)) {
                                if (scope.isPresent() && !scope.get().equals(s)) {
                                    continue;
                                }
                                long[] want = expected.getOrDefault(s, new long[3]);
                                MemberCounts.Counts got = counts.getOrDefault(s, MemberCounts.Counts.NONE);
                                String what = method + " " + s + " " + p[0] + ".." + p[1];
                                assertThat(got.members()).as("members, " + what).isEqualTo(want[0]);
                                assertThat(Math.max(0, got.single())).as("one purchase, " + what).isEqualTo(want[1]);
                                assertThat(firstTime.getOrDefault(s, 0L)).as("first-time, " + what).isEqualTo(want[2]);
                                assertThat(all.get(1).getOrDefault(s, MemberCounts.Counts.NONE).members()).as("30 days, " + what)
                                        .isEqualTo(byMember(bought, p[1].minusDays(29), p[1]).getOrDefault(s, new long[3])[0]);
                                int[] widths = RollupBatch.VisitDay.ACTIVE_DAYS;
                                for (int w = 0; w < widths.length; w++) {
                                    assertThat(active.getOrDefault(s, new long[widths.length])[w]).as("active " + widths[w] + ", " + what)
                                            .isEqualTo(byMember(bought, p[1].minusDays(widths[w] - 1), p[1]).getOrDefault(s, new long[3])[0]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Per scope: members who bought in [f, t], those with one purchase there, those whose first purchase is there. */
    private static Map<String, long[]> byMember(List<Bought> bought, LocalDate f, LocalDate t) {
        Map<String, Map<UUID, Integer>> inPeriod = new HashMap<>();
        Map<String, Map<UUID, LocalDate>> first = new HashMap<>();
        for (Bought b : bought) {
            for (String scope : List.of(b.store(), RollupBatch.CHAIN)) {
                first.computeIfAbsent(scope, k -> new HashMap<>()).merge(b.member(), b.day(), (x, y) -> x.isBefore(y) ? x : y);
                if (!b.day().isBefore(f) && !b.day().isAfter(t)) {
                    inPeriod.computeIfAbsent(scope, k -> new HashMap<>()).merge(b.member(), 1, Integer::sum);
                }
            }
        }
        Map<String, long[]> out = new HashMap<>();
        first.forEach((scope, firsts) -> {
            Map<UUID, Integer> n = inPeriod.getOrDefault(scope, Map.of());
            long firstTime = firsts.values().stream().filter(d -> !d.isBefore(f) && !d.isAfter(t)).count();
            out.put(scope, new long[] {n.size(), n.values().stream().filter(c -> c == 1).count(), firstTime});
        });
        return out;
    }
}
