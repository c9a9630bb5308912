package dev.counterpoint.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
    @Test
    void formatsFenAsYuanWithTwoDecimals() {
        assertThat(Money.format(0)).isEqualTo("¥0.00");
        assertThat(Money.format(5)).isEqualTo("¥0.05");
        assertThat(Money.format(123_456)).isEqualTo("¥1,234.56");
        assertThat(Money.format(123_456_789_00L)).isEqualTo("¥123,456,789.00");
        assertThat(Money.format(-50)).isEqualTo("-¥0.50");
        assertThat(Money.format(-123_456)).isEqualTo("-¥1,234.56");
        assertThat(Money.format(99_999)).isEqualTo("¥999.99");
        assertThat(Money.format(100_000)).isEqualTo("¥1,000.00");
        assertThat(Money.format(Long.MIN_VALUE)).isEqualTo("-¥92,233,720,368,547,758.08");
        assertThat(Money.format(Long.MAX_VALUE)).isEqualTo("¥92,233,720,368,547,758.07");
    }

    @Test
    void formatsEveryAmountAsJavasOwnGroupingDoes() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            long fen = random.nextLong(-10_000_000_000L, 10_000_000_000L) / (1 + random.nextInt(1_000_000));
            long abs = Math.abs(fen);
            String expected = (fen < 0 ? "-" : "") + String.format(java.util.Locale.ROOT, "¥%,d.%02d", abs / 100, abs % 100);
            assertThat(Money.format(fen)).as("%d fen", fen).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"12,1200", "12.3,1230", "12.34,1234", "¥0.01,1", "'  ￥8.50 ',850", "'1,000',100000"})
    void parsesYuan(String text, long fen) {
        assertThat(Money.parseYuan(text)).contains(fen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1.234", "1e3", "NaN", "9999999999999"})
    void refusesAnythingElse(String text) {
        assertThat(Money.parseYuan(text)).isEmpty();
    }
}
