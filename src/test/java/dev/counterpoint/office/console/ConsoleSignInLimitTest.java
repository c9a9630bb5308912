package dev.counterpoint.office.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One address that keeps failing to sign in is turned away for a while, whichever names it tries. */
class ConsoleSignInLimitTest {
    @Test
    void tenFailedSignInsFromOneAddressWithinAMinuteTurnItAwayUntilTheOldestIsAMinuteOld() throws Exception {
        try (ConsoleFixture office = new ConsoleFixture()) {
            ConsoleClient guesser = new ConsoleClient(office.base());
            for (int i = 0; i < Console.SIGN_IN_FAILURES_PER_MINUTE; i++) {
                assertThat(guesser.signIn("nobody" + i, "wrong password").status()).isEqualTo(401);
            }
            ConsoleClient.Reply turned = guesser.signIn(ConsoleFixture.OWNER, ConsoleFixture.PASSWORD);
            assertThat(turned.status()).isEqualTo(429);
            assertThat(turned.header("Retry-After")).isEqualTo("60");
            assertThat(turned.body()).contains("Too many failed sign-ins from this address");
            assertThat(guesser.cookies).doesNotContainKey("cp_session");

            office.clock.advance(java.time.Duration.ofSeconds(61));
            assertThat(guesser.signIn(ConsoleFixture.OWNER, ConsoleFixture.PASSWORD).status()).isEqualTo(303);
        }
    }
}
