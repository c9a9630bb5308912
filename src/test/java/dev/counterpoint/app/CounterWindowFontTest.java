package dev.counterpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CounterWindowFontTest {

    @Test
    void theFirstInstalledCjkFamilyOfTheListIsChosen() {
        assertThat(CounterWindow.cjkFamily(Set.of("DejaVu Sans", "PingFang SC", "WenQuanYi Zen Hei")))
                .contains("WenQuanYi Zen Hei");
        assertThat(CounterWindow.cjkFamily(Set.of("Noto Sans CJK SC", "Microsoft YaHei"))).contains("Noto Sans CJK SC");
    }

    @Test
    void withoutAnyCjkFamilyNothingIsForced() {
        assertThat(CounterWindow.cjkFamily(Set.of("DejaVu Sans", "Liberation Serif"))).isEmpty();
    }
}
