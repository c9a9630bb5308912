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
