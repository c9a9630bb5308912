package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CardCodesTest {
    @Test
    void checkDigitMatchesKnownEan13() {
        assertThat(CardCodes.withCheckDigit("400638133393")).isEqualTo("4006381333931");
        assertThat(CardCodes.withCheckDigit("690123456789")).isEqualTo("6901234567892");
    }

    @Test
    void newCodesAreInStoreEan13WithValidCheckDigit() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            String code = CardCodes.newCardCode(random);
            assertThat(code).matches("29\\d{11}");
            assertThat(CardCodes.withCheckDigit(code.substring(0, 12))).isEqualTo(code);
        }
    }
}
