package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.shared.Messages;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MemberQrVerifierTest {
    private static final Instant MADE = Instant.parse("2026-03-10T02:00:00Z");
    private static final String CARD = "2900000000018";
    private final KeyPair headOffice = generate();

    private String tokenMadeAt(Instant at, KeyPair keys) {
        return new MemberQrSigner(keys.getPrivate(), Clock.fixed(at, ZoneOffset.UTC)).tokenFor(CARD);
    }

    private MemberQrVerifier.Outcome verifyAt(Instant now, String token) {
        return new MemberQrVerifier(List.of(headOffice.getPublic()), Clock.fixed(now, ZoneOffset.UTC)).verify(token);
    }

    private static String refusal(MemberQrVerifier.Outcome o, Locale locale) {
        return ((MemberQrVerifier.Refused) o).reason().format(locale);
    }

    @Test
    void aFreshTokenNamesTheCard() {
        String token = tokenMadeAt(MADE, headOffice);
        assertThat(token).matches("CP1\\.2900000000018\\.1773108060\\.[A-Za-z0-9_-]{86}");
        assertThat(verifyAt(MADE.plusSeconds(5), token)).isEqualTo(new MemberQrVerifier.Verified(CARD));
    }

    @Test
    void aTerminalClockSomewhatAheadOrBehindStillAccepts() {
        String token = tokenMadeAt(MADE, headOffice);
        assertThat(verifyAt(MADE.plus(Duration.ofSeconds(60 + 29)), token)).isInstanceOf(MemberQrVerifier.Verified.class);
        assertThat(verifyAt(MADE.minusSeconds(29), token)).isInstanceOf(MemberQrVerifier.Verified.class);
    }

    @Test
    void aScreenshotReplayedAfterExpiryIsRefused() {
        String token = tokenMadeAt(MADE, headOffice);
        MemberQrVerifier.Outcome late = verifyAt(MADE.plusSeconds(60 + 31), token);
        assertThat(refusal(late, Messages.CHINESE)).isEqualTo("二维码已过期，请刷新");
        assertThat(refusal(late, Locale.ENGLISH)).isEqualTo("Code expired, please refresh");
        assertThat(refusal(verifyAt(MADE.plus(Duration.ofDays(1)), token), Locale.ENGLISH))
                .isEqualTo("Code expired, please refresh");
    }

    @Test
    void aTokenFromFarAheadOfThisClockIsRefused() {
        String token = tokenMadeAt(MADE.plusSeconds(120), headOffice);
        assertThat(((MemberQrVerifier.Refused) verifyAt(MADE, token)).reason().key()).isEqualTo("scan.qr.clockBehind");
    }

    @Test
    void forgeriesAreRefused() {
        String genuine = tokenMadeAt(MADE, headOffice);
        String otherKey = tokenMadeAt(MADE, generate());
        String otherCard = genuine.replace(CARD, "2900000000026");
        String laterExpiry = genuine.replace(".1773108060.", ".1773109999.");
        byte[] sig = Base64.getUrlDecoder().decode(genuine.substring(genuine.lastIndexOf('.') + 1));
        sig[10] ^= 1;
        String flippedBit = genuine.substring(0, genuine.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        for (String forged : List.of(otherKey, otherCard, laterExpiry, flippedBit)) {
            assertThat(((MemberQrVerifier.Refused) verifyAt(MADE, forged)).reason().key()).as(forged).isEqualTo("scan.qr.forged");
        }
    }

    @Test
    void withoutTrustedKeysTokensAreRefusedWithTheFix() {
        MemberQrVerifier none = new MemberQrVerifier(List.of(), Clock.fixed(MADE, ZoneOffset.UTC));
        assertThat(((MemberQrVerifier.Refused) none.verify(tokenMadeAt(MADE, headOffice))).reason().key())
                .isEqualTo("scan.qr.noKey");
    }

    @Test
    void theGateLooksUpTheCardOfAGoodTokenAndNothingForABadOne() {
        ScanCheck gate = new ScanCheck(new MemberQrVerifier(List.of(headOffice.getPublic()),
                Clock.fixed(MADE.plusSeconds(200), ZoneOffset.UTC)));
        assertThat(gate.check(tokenMadeAt(MADE.plusSeconds(190), headOffice)))
                .isEqualTo(new ScanCheck.Lookup(CARD, CodeParser.Kind.MEMBER_TOKEN));
        assertThat(gate.check(tokenMadeAt(MADE, headOffice))).isInstanceOf(ScanCheck.Refused.class);
        assertThat(gate.check("4006381333932")).as("digits breaking the check digit: only an exact known card may match")
                .isInstanceOfSatisfying(ScanCheck.LookupIfKnown.class, l -> {
                    assertThat(l.code()).isEqualTo("4006381333932");
                    assertThat(l.ifUnknown().key()).isEqualTo("scan.error.checkDigit");
                });
        assertThat(gate.check("\u0007\u0000")).isInstanceOf(ScanCheck.Refused.class);
        assertThat(gate.check("4006381333931")).isEqualTo(new ScanCheck.Lookup("4006381333931", CodeParser.Kind.EAN13));
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
