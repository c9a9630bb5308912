package dev.counterpoint.importer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirstLinesTest {

    @Test
    void aCodeSeenBeforeGivesItsFirstLineAndANewOneNothing() {
        FirstLines lines = new FirstLines();

        assertThat(lines.putIfAbsent("2900000000017", 2)).isZero();
        assertThat(lines.putIfAbsent("2900000000024", 3)).isZero();
        assertThat(lines.putIfAbsent("2900000000017", 4)).isEqualTo(2);
        assertThat(lines.putIfAbsent("2900000000017", 5)).isEqualTo(2);
    }

    @Test
    void aMillionNearlyEqualCodesAreTakenApartAcrossGrowth() {
        FirstLines lines = new FirstLines();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            assertThat(lines.putIfAbsent("29" + String.format("%011d", i), i + 2L)).isZero();
        }
        // Codes that differ by a swapped pair of digits, or by one digit, are still new.
        assertThat(lines.putIfAbsent("2900000000021", 1)).isEqualTo(21 + 2);
        assertThat(lines.putIfAbsent("2900000000012", 1)).isEqualTo(12 + 2);
        assertThat(lines.putIfAbsent("29000000000120", 1)).isZero();
        for (int i = 0; i < n; i += 997) {
            assertThat(lines.putIfAbsent("29" + String.format("%011d", i), 1)).isEqualTo(i + 2L);
        }
    }
}
