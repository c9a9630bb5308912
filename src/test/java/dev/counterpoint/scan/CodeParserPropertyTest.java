package dev.counterpoint.scan;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a scanner or a noisy line produces, the parser and the scan gate answer with a result,
 * never an exception; what they accept is printable, bounded and (for retail codes) check-digit valid.
 */
class CodeParserPropertyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T02:00:00Z"), ZoneOffset.UTC);
    private static final KeyPair KEYS = keys();
    private static final ScanCheck GATE = new ScanCheck(new MemberQrVerifier(List.of(KEYS.getPublic()), CLOCK));
    private static final String TOKEN = new MemberQrSigner(KEYS.getPrivate(), CLOCK).tokenFor("2900000000018");

    @Property(tries = 100_000)
    void noInputMakesTheParserOrTheGateThrow(@ForAll("reads") String read) {
        // plain checks rather than AssertJ: this runs 100,000 times
        CodeParser.Result result = CodeParser.parse(read);
        check(result != null, read, "no result");
        if (result instanceof CodeParser.Accepted a) {
            check(!a.code().isEmpty() && a.code().length() <= CodeParser.MAX_LENGTH, read, "length");
            check(a.code().codePoints().noneMatch(Character::isISOControl), read, "control character accepted");
            check(!a.code().contains("\uFFFD"), read, "replacement character accepted");
            if (a.kind() == CodeParser.Kind.EAN13 || a.kind() == CodeParser.Kind.EAN8 || a.kind() == CodeParser.Kind.UPCA) {
                check(CodeParser.checkDigitOk(a.code()), read, "bad check digit accepted");
            }
        }
        ScanCheck.Outcome outcome = GATE.check(read);
        if (outcome instanceof ScanCheck.Lookup l) {
            check(!l.code().isEmpty() && l.code().length() <= CodeParser.MAX_CARD_LENGTH, read, "lookup length");
            if (l.kind() == CodeParser.Kind.MEMBER_TOKEN) {
                check(read.strip().equals(TOKEN), read, "a token other than the signed one was verified");
            }
        }
    }

    private static void check(boolean ok, String read, String what) {
        if (!ok) {
            throw new AssertionError(what + ": " + read.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }

    @Provide
    Arbitrary<String> reads() {
        Arbitrary<String> valid = Arbitraries.of("2900000000018", "4006381333931", "96385074", "036000291452",
                "MEM-000123", TOKEN, "会员卡 0001");
        Arbitrary<String> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 200),
                Arbitraries.chars(), Arbitraries.integers().between(0, 3)).as(CodeParserPropertyTest::mutate);
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(700);
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMaxLength(20);
        Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600)
                .map(b -> new String(b, StandardCharsets.UTF_8));
        Arbitrary<String> latin1 = Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
                .map(b -> new String(b, StandardCharsets.ISO_8859_1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, mutated), net.jqwik.api.Tuple.of(2, anyText), net.jqwik.api.Tuple.of(2, digits),
                net.jqwik.api.Tuple.of(1, bytes), net.jqwik.api.Tuple.of(1, latin1), net.jqwik.api.Tuple.of(1, valid));
    }

    /** One edit to a good code: replace, insert, delete a character, or cut it short. */
    private static String mutate(String code, int position, char c, int edit) {
        int at = position % (code.length() + 1);
        return switch (edit) {
            case 0 -> at < code.length() ? code.substring(0, at) + c + code.substring(at + 1) : code + c;
            case 1 -> code.substring(0, at) + c + code.substring(at);
            case 2 -> at < code.length() ? code.substring(0, at) + code.substring(at + 1) : code;
            default -> code.substring(0, at);
        };
    }

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
