package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HlcTest {
    @Test
    void neverGoesBackwardsEvenWhenTheWallClockDoes() {
        AtomicLong millis = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
        };
        Hlc hlc = new Hlc(clock, 0);
        long a = hlc.now();
        long b = hlc.now();
        millis.set(999_000); // clock stepped back a second
        long c = hlc.now();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
        assertThat(Hlc.millisOf(c)).isEqualTo(1_000_000);
        assertThat(Hlc.counterOf(c)).isEqualTo(2);
    }

    @Test
    void observingARemoteStampOrdersLaterLocalEventsAfterIt() {
        Hlc hlc = new Hlc(Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC), 0);
        long remote = (9_000L << 16) + 3;
        hlc.observe(remote);
        assertThat(hlc.now()).isEqualTo(remote + 1);
    }
}
