package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    @Test
    void scoresFollowTheDocumentedThresholds() {
        assertThat(Segments.recency(Optional.of(14L))).isEqualTo(5);
        assertThat(Segments.recency(Optional.of(15L))).isEqualTo(4);
        assertThat(Segments.recency(Optional.of(121L))).isEqualTo(1);
        assertThat(Segments.recency(Optional.empty())).isZero();
        assertThat(Segments.frequency(12)).isEqualTo(4);
        assertThat(Segments.frequency(11)).isEqualTo(3);
        assertThat(Segments.monetary(200_000)).isEqualTo(4);
        assertThat(Segments.monetary(199_999)).isEqualTo(3);
    }

    @Test
    void aWeeklyBigSpenderIsHighValueAndLoyal() {
        List<Segments.Visit> visits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            visits.add(new Segments.Visit(TODAY.minusDays(3 + 7L * i), 15_000, List.of("咖啡豆", "饮品")));
        }
        Segments.Profile p = Segments.derive(visits, Optional.empty(), TODAY);
        assertThat(p.rfm()).isEqualTo(new Segments.Rfm(5, 4, 4));
        assertThat(p.tags()).containsExactly(SegmentTag.HIGH_VALUE, SegmentTag.LOYAL);
        assertThat(p.churn()).isEmpty();
        assertThat(p.affinity()).containsExactly("咖啡豆", "饮品");
        assertThat(p.averageTicketFen()).isEqualTo(15_000);
    }

    @Test
    void aRegularPastTwiceTheirIntervalIsAtRiskAndLongAbsenceIsDormant() {
        List<Segments.Visit> weekly = List.of(visit(22), visit(29), visit(36), visit(43));
        Segments.Profile atRisk = Segments.derive(weekly, Optional.empty(), TODAY);
        assertThat(atRisk.churn()).contains(new Segments.ChurnWarning(7, 22));
        assertThat(atRisk.tags()).contains(SegmentTag.AT_RISK);
        assertThat(Segments.derive(List.of(visit(14), visit(21), visit(28)), Optional.empty(), TODAY).churn())
                .as("exactly twice the interval is not yet a warning").isEmpty();
        assertThat(Segments.derive(List.of(visit(15), visit(22), visit(29)), Optional.empty(), TODAY).churn())
                .contains(new Segments.ChurnWarning(7, 15));
        assertThat(Segments.derive(List.of(visit(200)), Optional.empty(), TODAY).tags()).containsExactly(SegmentTag.DORMANT);
    }

    @Test
    void aMemberLastSeenBeforeTheYearIsDormantNotNeverSeen() {
        Segments.Profile p = Segments.derive(List.of(), Optional.of(TODAY.minusDays(400)), Optional.empty(), TODAY);
        assertThat(p.rfm()).isEqualTo(new Segments.Rfm(1, 0, 0));
        assertThat(p.tags()).containsExactly(SegmentTag.DORMANT);
        assertThat(Segments.derive(List.of(), Optional.empty(), Optional.empty(), TODAY).tags()).isEmpty();
        // the year's own last visit stands when the one given is older
        assertThat(Segments.derive(List.of(visit(3)), Optional.of(TODAY.minusDays(400)), Optional.empty(), TODAY).rfm()
                .recency()).isEqualTo(5);
    }

    @Test
    void newAndPromisingMembers() {
        assertThat(Segments.derive(List.of(), Optional.of(TODAY.minusDays(29)), TODAY).tags()).containsExactly(SegmentTag.NEW);
        assertThat(Segments.derive(List.of(visit(3)), Optional.of(TODAY.minusDays(200)), TODAY).tags())
                .containsExactly(SegmentTag.PROMISING);
        assertThat(Segments.derive(List.of(visit(3)), Optional.empty(), TODAY).tags()).containsExactly(SegmentTag.PROMISING);
    }

    @Test
    void affinityNeedsThreeVisitsAndFortyPerCent() {
        List<Segments.Visit> v = List.of(
                new Segments.Visit(TODAY.minusDays(1), 1, List.of("茶")), new Segments.Visit(TODAY.minusDays(2), 1, List.of("茶")),
                new Segments.Visit(TODAY.minusDays(3), 1, List.of("茶", "点心")), new Segments.Visit(TODAY.minusDays(4), 1, List.of("点心")),
                new Segments.Visit(TODAY.minusDays(5), 1, List.of("点心")), new Segments.Visit(TODAY.minusDays(6), 1, List.of("饮品")),
                new Segments.Visit(TODAY.minusDays(7), 1, List.of("饮品")), new Segments.Visit(TODAY.minusDays(8), 1, List.of("饮品")));
        assertThat(Segments.affinity(v)).isEmpty(); // 3 of 8 visits each: 37.5%
        assertThat(Segments.affinity(v.subList(0, 6))).containsExactly("点心", "茶");
    }

    private static Segments.Visit visit(long daysAgo) {
        return new Segments.Visit(TODAY.minusDays(daysAgo), 5_000, List.of());
    }
}
