package dev.counterpoint.office.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.testing.OfficePostgres;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Members per tier at the end of any day, and the moves over any period, as the reports read them from the roll-ups,
 * against replaying each member's history: members enrolled at three stores in any tier, moved up and down, some
 * merged, their facts written in random order and random batches as pushes and reviews write them.
 */
class TierDaysTest {
    private static final LocalDate DAY0 = LocalDate.of(2025, 11, 1);
    private static final Tier[] TIERS = Tier.values();
    private static int databases;

    /** One member's life: enrolment, then moves (each from the tier held), and perhaps a merge after the last. */
    private record Life(UUID id, String home, int enrolled, Tier tier, List<int[]> moves, Integer merged) {
        /** The tier held at the end of {@code day}, or null when not yet enrolled or merged by then. */
        Tier at(int day) {
            if (day < enrolled || merged != null && merged <= day) {
                return null;
            }
            Tier held = tier;
            for (int[] m : moves) {
                if (m[0] <= day) {
                    held = TIERS[m[2]];
                }
            }
            return held;
        }

        Tier last() {
            return moves.isEmpty() ? tier : TIERS[moves.get(moves.size() - 1)[2]];
        }
    }

    private static List<Supplier<OfficeDatabase>> databases() {
        return List.of(() -> {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:tier-days-" + ++databases + ";DB_CLOSE_DELAY=-1");
            return OfficeDatabase.of(ds);
        }, OfficePostgres::freshDatabase);
    }

    private static OffsetDateTime at(int day) {
        return OffsetDateTime.of(DAY0.plusDays(day), LocalTime.NOON, ZoneOffset.ofHours(8));
    }

    @Test
    void tiersAtAnyDayAndMovesOverAnyPeriodAreThoseOfTheMembersLives() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Random random = new Random(20261205);
                List<Life> lives = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    int enrolled = random.nextInt(300);
                    Tier tier = TIERS[random.nextInt(10) < 7 ? 0 : random.nextInt(TIERS.length)];
                    List<int[]> moves = new ArrayList<>();
                    int day = enrolled;
                    Tier held = tier;
                    while (random.nextInt(3) > 0 && day < 380) {
                        day += 1 + random.nextInt(60);
                        int to = held == Tier.NORMAL ? 1 : held == Tier.DIAMOND ? 2
                                : held.ordinal() + (random.nextBoolean() ? 1 : -1);
                        moves.add(new int[] {day, held.ordinal(), to});
                        held = TIERS[to];
                    }
                    Integer merged = random.nextInt(8) == 0 ? day + 1 + random.nextInt(30) : null;
                    lives.add(new Life(new UUID(2, i), "S" + (1 + random.nextInt(3)), enrolled, tier, moves, merged));
                }
                db.jdbi().useTransaction(h -> {
                    for (Life l : lives) {
                        h.execute("INSERT INTO member(id, card_code, display_name, tier, home_store, enrolled_at, enrolled_hlc, "
                                + "enrolled_via, status) VALUES (?, ?, 'x', ?, ?, ?, 1, 'COUNTER', ?)", l.id(), l.id().toString(),
                                l.last().name(), l.home(), at(l.enrolled()), l.merged() == null ? "ACTIVE" : "MERGED");
                    }
                });
                List<Consumer<RollupBatch>> facts = new ArrayList<>();
                for (Life l : lives) {
                    facts.add(b -> b.enrolled(l.home(), at(l.enrolled()), l.tier()));
                    for (int[] m : l.moves()) {
                        facts.add(b -> b.tierMoved(l.id(), at(m[0]), TIERS[m[1]], TIERS[m[2]]));
                    }
                    if (l.merged() != null) {
                        facts.add(b -> b.merged(l.id(), at(l.merged())));
                    }
                }
                Collections.shuffle(facts, random);
                for (int from = 0; from < facts.size(); ) {
                    int to = Math.min(facts.size(), from + 1 + random.nextInt(40));
                    List<Consumer<RollupBatch>> chunk = facts.subList(from, to);
                    db.jdbi().useTransaction(h -> {
                        RollupBatch batch = new RollupBatch();
                        chunk.forEach(f -> f.accept(batch));
                        batch.flush(h);
                    });
                    from = to;
                }

                // Today is the last day with a fact, or well after it: a month's days after the period's last day are
                // read up to today, or its total less the days before, whichever side is shorter.
                int lastFact = lives.stream().mapToInt(l -> Math.max(l.merged() == null ? l.enrolled() : l.merged(),
                        l.moves().isEmpty() ? 0 : l.moves().get(l.moves().size() - 1)[0])).max().orElseThrow();
                for (int i = 0; i < 80; i++) {
                    LocalDate today = DAY0.plusDays(i % 2 == 0 ? lastFact : 500);
                    int end = random.nextInt(460) - 20;
                    int start = end - random.nextInt(i % 3 == 0 ? 366 : 45);
                    LocalDate f = DAY0.plusDays(start);
                    LocalDate t = DAY0.plusDays(end);
                    for (Optional<String> only : List.of(Optional.<String>empty(), Optional.of("S2"))) {
                        String what = f + ".." + t + " " + only.orElse("all");
                        Map<String, Map<Tier, Long>> tiers = db.jdbi().withHandle(h -> Reports.tiersAt(h, t, today, only));
                        Map<String, List<Reports.TierMove>> moves = db.jdbi().withHandle(h -> Reports.tierMoves(h, f, t, today, only));
                        for (String store : List.of("S1", "S2", "S3")) {
                            if (only.isPresent() && !only.get().equals(store)) {
                                assertThat(tiers).doesNotContainKey(store);
                                continue;
                            }
                            Map<Tier, Long> wantTiers = new EnumMap<>(Tier.class);
                            Map<String, Long> wantMoves = new HashMap<>();
                            for (Life l : lives) {
                                if (!l.home().equals(store)) {
                                    continue;
                                }
                                Tier held = l.at(end);
                                if (held != null) {
                                    wantTiers.merge(held, 1L, Long::sum);
                                }
                                for (int[] m : l.moves()) {
                                    if (m[0] >= start && m[0] <= end) {
                                        wantMoves.merge(TIERS[m[1]] + ">" + TIERS[m[2]], 1L, Long::sum);
                                    }
                                }
                            }
                            Map<Tier, Long> gotTiers = new EnumMap<>(Tier.class);
                            tiers.getOrDefault(store, Map.of()).forEach((tier, n) -> {
                                if (n != 0) {
                                    gotTiers.put(tier, n);
                                }
                            });
                            Map<String, Long> gotMoves = new HashMap<>();
                            moves.getOrDefault(store, List.of()).forEach(m -> gotMoves.put(m.from() + ">" + m.to(), m.members()));
                            assertThat(gotTiers).as("tiers, " + store + " " + what).isEqualTo(wantTiers);
                            assertThat(gotMoves).as("moves, " + store + " " + what).isEqualTo(wantMoves);
                        }
                    }
                }
            }
        }
    }
}
