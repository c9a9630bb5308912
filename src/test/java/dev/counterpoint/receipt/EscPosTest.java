package dev.counterpoint.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ESC/POS bytes of a receipt: modes switched where the text needs them, nothing from the text obeyed. */
class EscPosTest {
    static final Charset GB18030 = Charset.forName("GB18030");

    @Test
    void initCodePageChineseModeForChineseTextAndCut() {
        byte[] bytes = EscPos.encode(List.of(new ReceiptLayout.Row("合计 ¥12.00", ReceiptLayout.Style.BOLD)));
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(new byte[] {0x1B, '@', 0x1B, 't', 0, 0x1C, '.'}); // init, code page 437, Chinese mode off
        want.writeBytes(new byte[] {0x1B, 'E', 1});                          // bold
        want.writeBytes(new byte[] {0x1C, '&'});                              // Chinese mode on
        want.writeBytes("合计".getBytes(GB18030));                            // B A5 BC C6
        want.write(' ');
        want.writeBytes(new byte[] {0x1C, '.', (byte) 0x9D});                // off again for ¥, in code page 437
        want.writeBytes("12.00".getBytes(GB18030));
        want.writeBytes(new byte[] {0x1B, 'E', 0, 0x0A});                    // bold off, line feed
        want.writeBytes(new byte[] {0x1B, 'd', 4, 0x1D, 'V', 1});            // feed, partial cut
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(want.toByteArray()));
        assertThat(HexFormat.of().formatHex("合计".getBytes(GB18030))).isEqualTo("bacfbcc6");
    }

    @Test
    void largeRowsAreDoubleSizeForLatinAndChinese() {
        byte[] bytes = EscPos.encode(List.of(new ReceiptLayout.Row("店", ReceiptLayout.Style.LARGE)));
        String hex = HexFormat.of().formatHex(bytes);
        assertThat(hex).contains("1d2111" + "1c210c" + "1b4501" + "1c26" + HexFormat.of().formatHex("店".getBytes(GB18030))
                + "1b4500" + "1d2100" + "1c2100" + "0a");
    }

    @Test
    void controlCharactersInTheTextAreNeverSentAsCommands() {
        // a SKU that tries to cut the paper and open the cash drawer
        byte[] bytes = EscPos.encode(List.of(new ReceiptLayout.Row("A\u001DV\u0001\u001Bp\u0000B", ReceiptLayout.Style.NORMAL)));
        String hex = HexFormat.of().formatHex(bytes);
        String body = hex.substring("1b401b74001c2e".length(), hex.length() - "1b64041d5601".length());
        assertThat(body).isEqualTo(HexFormat.of().formatHex("A?V??p?B\n".getBytes(GB18030)));
    }
}
