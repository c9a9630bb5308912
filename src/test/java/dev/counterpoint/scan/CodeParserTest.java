package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.scan.CodeParser.Accepted;
import dev.counterpoint.scan.CodeParser.Kind;
import dev.counterpoint.scan.CodeParser.Rejected;
import java.util.Locale;
import dev.counterpoint.shared.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodeParserTest {

    @ParameterizedTest
    @CsvSource({
            "2900000000018, EAN13",   // a store card code
            "4006381333931, EAN13",
            "96385074, EAN8",
            "036000291452, UPCA",
            "MEM-000123, CODE128",
            "12345678901234, CODE128",
            "abcd, CODE128",
            "会员卡 0001, QR",
    })
    void validCodesAreClassified(String code, Kind kind) {
        assertThat(CodeParser.parse(code)).isEqualTo(new Accepted(kind, code));
    }

    @Test
    void surroundingWhitespaceAndLineEndsAreIgnored() {
        assertThat(CodeParser.parse("  4006381333931\r\n")).isEqualTo(new Accepted(Kind.EAN13, "4006381333931"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006381333932", "96385075", "036000291453", "2900000000010"})
    void aWrongCheckDigitIsRefusedWithTheCode(String code) {
        assertThat(reason(code)).isEqualTo("Check digit is wrong (" + code + "): scan again or type the code");
        assertThat(reasonZh(code)).isEqualTo("条码校验位错误（" + code + "），请重新扫描或手动输入");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006381", "290000000", "40063813339", "12", "ab"})
    void halfCodesAreRefusedAsIncomplete(String code) {
        assertThat(key(code)).isEqualTo("scan.error.incomplete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006\u0000381333931", "ab\u001bcd1234", "2900\uFFFD00000018", "abc\u200Bdef", "\uE000abcd",
            "ab\ud800cd", "line\nbreak"})
    void controlCharactersAndUndecodableBytesAreRefused(String code) {
        assertThat(key(code)).isEqualTo("scan.error.unreadable");
    }

    @Test
    void overLongReadsAreRefusedWithTheirLength() {
        String longRead = "7".repeat(CodeParser.MAX_LENGTH + 1);
        assertThat(reason(longRead)).isEqualTo("The scan is too long (513 characters, at most 512): scan again");
        assertThat(key("A".repeat(CodeParser.MAX_CARD_LENGTH + 1))).isEqualTo("scan.error.notMemberCode");
        assertThat(key("9".repeat(CodeParser.MAX_CARD_LENGTH + 1))).isEqualTo("scan.error.notMemberCode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\r\n"})
    void emptyReadsAreRefused(String code) {
        assertThat(key(code)).isEqualTo("scan.error.empty");
        assertThat(key(null)).isEqualTo("scan.error.empty");
    }

    @Test
    void aMemberTokenIsRecognisedOnlyWhenWellFormed() {
        String sig = "A".repeat(85) + "A";
        assertThat(CodeParser.parse("CP1.2900000000018.1767225600." + sig))
                .isEqualTo(new Accepted(Kind.MEMBER_TOKEN, "CP1.2900000000018.1767225600." + sig));
        assertThat(key("CP1.2900000000018.1767225600")).isEqualTo("scan.qr.malformed");
        assertThat(key("CP1.2900000000018.17672x5600." + sig)).isEqualTo("scan.qr.malformed");
        assertThat(key("CP1.29000.00000019.1767225600." + sig)).isEqualTo("scan.qr.malformed");
        assertThat(key("CP1.2900000000018.1767225600." + sig.substring(1))).isEqualTo("scan.qr.malformed");
    }

    private static String key(String code) {
        return ((Rejected) CodeParser.parse(code)).reason().key();
    }

    private static String reason(String code) {
        return ((Rejected) CodeParser.parse(code)).reason().format(Messages.bundle(Locale.ENGLISH));
    }

    private static String reasonZh(String code) {
        return ((Rejected) CodeParser.parse(code)).reason().format(Messages.bundle(Messages.CHINESE));
    }
}
