package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentTagTest {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    @Test
    void newOnlyForMembersWhoJoinedHereRecently() {
        assertThat(SegmentTag.derive(Optional.of(TODAY.minusDays(29)), Optional.empty(), 0, 0, TODAY)).containsExactly(SegmentTag.NEW);
        assertThat(SegmentTag.derive(Optional.of(TODAY.minusDays(30)), Optional.empty(), 0, 0, TODAY)).isEmpty();
        assertThat(SegmentTag.derive(Optional.empty(), Optional.empty(), 0, 0, TODAY)).isEmpty();
    }

    @Test
    void valueRegularityAndDormancyFromHistory() {
        Optional<LocalDate> longAgo = Optional.of(TODAY.minusYears(3));
        assertThat(SegmentTag.derive(longAgo, Optional.of(TODAY.minusDays(2)), 6, 300_000, TODAY))
                .containsExactly(SegmentTag.HIGH_VALUE, SegmentTag.REGULAR);
        assertThat(SegmentTag.derive(longAgo, Optional.of(TODAY.minusDays(2)), 5, 299_999, TODAY)).isEmpty();
        assertThat(SegmentTag.derive(longAgo, Optional.of(TODAY.minusDays(90)), 0, 0, TODAY)).containsExactly(SegmentTag.DORMANT);
        assertThat(SegmentTag.derive(longAgo, Optional.of(TODAY.minusDays(89)), 1, 0, TODAY)).isEmpty();
    }
}
