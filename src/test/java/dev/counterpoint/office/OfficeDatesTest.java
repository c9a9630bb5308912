package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OfficeDatesTest {
    @ParameterizedTest
    @ValueSource(strings = {"+999999999-01-01", "-2026-01-01", "+2026-01-01", "12026-01-01", "1999-12-31", "2101-01-01",
            "2026-02-29", "2026-13-01", "2026-3-1", " 2026-03-01", "2026-03-01T00:00", "２０２６-03-01", ""})
    void anythingButAYyyyMmDdDayWithinTheRangeIsRefused(String text) {
        assertThat(OfficeDates.day(text)).isEmpty();
    }

    @Test
    void daysAndBirthdaysWithinTheirRangesAreRead() {
        assertThat(OfficeDates.day("2000-01-01")).contains(LocalDate.of(2000, 1, 1));
        assertThat(OfficeDates.day("2100-12-31")).contains(LocalDate.of(2100, 12, 31));
        assertThat(OfficeDates.day("2028-02-29")).contains(LocalDate.of(2028, 2, 29));
        assertThat(OfficeDates.day("1991-04-01")).isEmpty();
        assertThat(OfficeDates.birthday("1991-04-01")).contains(LocalDate.of(1991, 4, 1));
        assertThat(OfficeDates.birthday("1899-12-31")).isEmpty();
        assertThat(OfficeDates.birthday("+999999999-01-01")).isEmpty();
        assertThat(OfficeDates.day(null)).isEmpty();
    }
}
