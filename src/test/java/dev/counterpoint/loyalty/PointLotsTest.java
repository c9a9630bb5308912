package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PointLotsTest {
    static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
    static final UUID A = UUID.fromString("0190f000-0000-7000-8000-00000000000a");
    static final UUID B = UUID.fromString("0190f000-0000-7000-8000-00000000000b");
    static final UUID C = UUID.fromString("0190f000-0000-7000-8000-00000000000c");

    @Test
    void spendsNamingALotTakeFromItAndOthersFromTheOldestFirst() {
        List<PointLots.Lot> lots = PointLots.replay(List.of(
                new PointLots.Entry(A, 100, TODAY.plusDays(10), null),
                new PointLots.Entry(B, 200, TODAY.plusDays(100), null),
                new PointLots.Entry(UUID.randomUUID(), -50, null, B),
                new PointLots.Entry(UUID.randomUUID(), -120, null, null)));

        assertThat(lots).extracting(PointLots.Lot::id, PointLots.Lot::remaining).containsExactly(
                org.assertj.core.groups.Tuple.tuple(B, 130L));
    }

    @Test
    void allocationSkipsExpiredLotsAndRefusesMoreThanIsUsable() {
        List<PointLots.Lot> lots = PointLots.replay(List.of(
                new PointLots.Entry(A, 100, TODAY.minusDays(1), null),
                new PointLots.Entry(B, 80, TODAY, null),
                new PointLots.Entry(C, 300, TODAY.plusDays(200), null)));

        assertThat(PointLots.usable(lots, TODAY)).isEqualTo(380);
        assertThat(PointLots.allocate(lots, 150, TODAY)).extracting(e -> e.getKey().id(), e -> e.getValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(B, 80L), org.assertj.core.groups.Tuple.tuple(C, 70L));
        assertThatThrownBy(() -> PointLots.allocate(lots, 381, TODAY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNextExpiryInTheWindowSumsTheLotsOfThatDay() {
        List<PointLots.Lot> lots = PointLots.replay(List.of(
                new PointLots.Entry(A, 100, TODAY.plusDays(20), null),
                new PointLots.Entry(B, 40, TODAY.plusDays(20), null),
                new PointLots.Entry(C, 300, TODAY.plusDays(25), null)));
        assertThat(PointLots.nextExpiring(lots, TODAY, 30)).contains(new PointLots.Expiring(140, TODAY.plusDays(20)));
        assertThat(PointLots.nextExpiring(lots, TODAY, 19)).isEmpty();
    }
}
