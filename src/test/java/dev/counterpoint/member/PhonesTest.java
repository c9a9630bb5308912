package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhonesTest {
    @ParameterizedTest
    @CsvSource({"13800135678,13800135678", "'+86 138 0013 5678',13800135678", "8613800135678,13800135678",
            "138-0013-5678,13800135678", "' 19912345678 ',19912345678"})
    void normalisesMainlandMobiles(String raw, String expected) {
        assertThat(Phones.normalise(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1380013567", "138001356789", "12800135678", "+1 415 555 0100", "138OO135678", "86138001356"})
    void rejectsEverythingElse(String raw) {
        assertThat(Phones.normalise(raw)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"13800135678,138****5678,5678"})
    void masksAndKeepsLastFour(String phone, String masked, String last4) {
        assertThat(Phones.mask(phone)).isEqualTo(masked);
        assertThat(Phones.last4(phone)).isEqualTo(last4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"13800135678"})
    void hmacDependsOnTheKey(String phone) {
        Phones a = new Phones(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(a.hmac(phone)).hasSize(64).isEqualTo(new Phones(new byte[32]).hmac(phone));
        assertThat(new Phones(other).hmac(phone)).isNotEqualTo(a.hmac(phone));
    }
}
