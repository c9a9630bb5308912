package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.CardCodes;
import dev.counterpoint.member.Phones;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Codes come from a bijection of the member's index: unique at scale, and never a showcase member's. */
class DemoIdentitiesTest {
    private static final int N = 200_000;

    @Test
    void cardCodesAreUniqueValidAndClearOfTheShowcase() {
        Set<String> showcase = new HashSet<>();
        for (Showcase s : Showcase.values()) {
            showcase.add(s.cardCode());
        }
        assertThat(showcase).contains("2900000000018", "2900000000063");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < N; i++) {
            String card = DemoIdentities.card(i);
            assertThat(seen.add(card)).as("duplicate card %s at %d", card, i).isTrue();
            assertThat(Long.parseLong(card.substring(2, 12))).isGreaterThanOrEqualTo(DemoIdentities.RESERVED);
        }
        assertThat(seen).allMatch(c -> c.length() == 13 && c.startsWith("29") && CardCodes.withCheckDigit(c.substring(0, 12)).equals(c));
    }

    @Test
    void digitsArePaddedWithZerosLikeFormat() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            long n = i < 20 ? i : r.nextLong(0, 1L << (1 + r.nextInt(50)));
            int width = 1 + r.nextInt(12);
            assertThat(DemoIdentities.digits(n, width)).isEqualTo(String.format("%0" + width + "d", n));
        }
    }

    @Test
    void phonesAreUniqueMainlandMobilesAndClearOfTheShowcase() {
        SplittableRandom r = new SplittableRandom(1);
        Set<String> tails = new HashSet<>();
        for (int i = 0; i < N; i++) {
            String phone = DemoIdentities.phone(i, r);
            assertThat(Phones.normalise(phone)).contains(phone);
            assertThat(tails.add(phone.substring(3))).as("duplicate phone tail at %d", i).isTrue();
        }
        for (Showcase s : Showcase.values()) {
            String phone = DemoIdentities.showcasePhone(s.ordinal() + 1);
            assertThat(Phones.normalise(phone)).contains(phone);
            assertThat(tails).doesNotContain(phone.substring(3));
        }
    }

    @Test
    void couponCodesAreUniqueReadableAndNeverInTheShowcaseRange() {
        Set<String> seen = new HashSet<>();
        for (int member = 0; member < N / 8; member++) {
            for (int k = 0; k < 8; k++) {
                String code = DemoIdentities.couponCode(member, k);
                assertThat(seen.add(code)).as("duplicate coupon %s", code).isTrue();
                assertThat(code).matches("CP[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}").doesNotStartWith("CPDEMX");
            }
        }
        assertThat(Showcase.VIP_COUPON).isEqualTo("CPDEMXPERK44").matches("CP[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}");
        assertThat(Showcase.EXPIRED_COUPON).matches("CP[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}");
        assertThat(Showcase.USED_COUPON).matches("CP[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}");
    }

    @Test
    void namesAreASurnameAndOneOrTwoGivenCharacters() {
        SplittableRandom r = new SplittableRandom(7);
        int wang = 0;
        int oneChar = 0;
        for (int i = 0; i < 10_000; i++) {
            String name = DemoIdentities.name(r);
            assertThat(name.length()).isBetween(2, 3);
            wang += name.startsWith("王") ? 1 : 0;
            oneChar += name.length() == 2 ? 1 : 0;
        }
        // 王 is about one in eleven of these surnames; a third-ish of given names are a single character.
        assertThat(wang).isBetween(700, 1100);
        assertThat(oneChar).isBetween(2500, 3500);
    }

    @Test
    void neighbouringMembersDrawIndependentNumbers() {
        // Were member i's draws member i+1's shifted by one, these would match about every time.
        int shifted = 0;
        for (int i = 0; i < 1000; i++) {
            var a = DemoPlanner.random(i);
            var b = DemoPlanner.random(i + 1L);
            a.nextLong();
            shifted += a.nextLong() == b.nextLong() ? 1 : 0;
        }
        assertThat(shifted).isZero();
    }
}
