package dev.counterpoint.office.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Console passwords are kept as salted Argon2id hashes that carry their parameters. */
class PasswordHashTest {
    @Test
    void aHashVerifiesItsPasswordOnlyAndIsSaltedEachTime() {
        String hash = PasswordHash.hash("correct horse battery");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct");
        assertThat(PasswordHash.verify("correct horse battery", hash)).isTrue();
        assertThat(PasswordHash.verify("correct horse batterY", hash)).isFalse();
        assertThat(PasswordHash.verify("", hash)).isFalse();
        assertThat(PasswordHash.hash("correct horse battery")).isNotEqualTo(hash);
        assertThat(PasswordHash.outdated(hash)).isFalse();
    }

    @Test
    void aHashThatCannotBeReadOrAsksTooMuchVerifiesNothing() {
        assertThat(PasswordHash.verify("x", null)).isFalse();
        assertThat(PasswordHash.verify("x", "plain text")).isFalse();
        assertThat(PasswordHash.verify("x", "$argon2id$v=19$m=9999999,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"))
                .isFalse();
        String weaker = "$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA";
        assertThat(PasswordHash.outdated(weaker)).isTrue();
    }
}
