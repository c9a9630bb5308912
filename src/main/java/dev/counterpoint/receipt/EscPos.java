package dev.counterpoint.receipt;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The ESC/POS bytes of a receipt (decision 0054): initialise, code page 437 for Latin letters and signs, the Chinese
 * mode (GB18030, two bytes a character) switched on for Chinese text and off again for Latin signs such as ¥, bold and
 * double size for the header, each row ended by a line feed, then paper fed past the cutter and a partial cut.
 * Only the text of rows is sent as text: a control character in it (a scanned SKU, say) is printed as "?", never
 * obeyed as a command.
 */
public final class EscPos {
    static final byte ESC = 0x1B;
    static final byte GS = 0x1D;
    static final byte FS = 0x1C;
    static final byte LF = 0x0A;
    /** ESC @: clear the printer's modes. */
    static final byte[] INIT = {ESC, '@'};
    /** ESC t 0: code page 437. */
    static final byte[] CODE_PAGE_437 = {ESC, 't', 0};
    /** FS &amp;: Chinese mode on; FS .: off. */
    static final byte[] CHINESE_ON = {FS, '&'};
    static final byte[] CHINESE_OFF = {FS, '.'};
    static final byte[] BOLD_ON = {ESC, 'E', 1};
    static final byte[] BOLD_OFF = {ESC, 'E', 0};
    /** GS ! 0x11 and FS ! 0x0C: double width and height, for Latin and for Chinese characters. */
    static final byte[] LARGE_ON = {GS, '!', 0x11, FS, '!', 0x0C};
    static final byte[] LARGE_OFF = {GS, '!', 0, FS, '!', 0};
    /** ESC d 4, GS V 1: four lines fed (the tear-off margin past the cutter), then a partial cut. */
    static final byte[] FEED_AND_CUT = {ESC, 'd', 4, GS, 'V', 1};

    private EscPos() {}

    public static byte[] encode(List<ReceiptLayout.Row> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 48 + 32);
        out.writeBytes(INIT);
        out.writeBytes(CODE_PAGE_437);
        out.writeBytes(CHINESE_OFF);
        boolean chinese = false;
        for (ReceiptLayout.Row row : rows) {
            switch (row.style()) {
                case BOLD -> out.writeBytes(BOLD_ON);
                case LARGE -> {
                    out.writeBytes(LARGE_ON);
                    out.writeBytes(BOLD_ON);
                }
                default -> { }
            }
            for (int i = 0; i < row.text().length(); ) {
                int cp = row.text().codePointAt(i);
                i += Character.charCount(cp);
                switch (Glyphs.kind(cp)) {
                    case ASCII -> out.write(cp);
                    case LATIN -> {
                        if (chinese) {
                            out.writeBytes(CHINESE_OFF);
                            chinese = false;
                        }
                        out.write(Glyphs.latin(cp));
                    }
                    case CJK -> {
                        if (!chinese) {
                            out.writeBytes(CHINESE_ON);
                            chinese = true;
                        }
                        out.writeBytes(Glyphs.cjk(cp));
                    }
                    default -> out.write('?');
                }
            }
            switch (row.style()) {
                case BOLD -> out.writeBytes(BOLD_OFF);
                case LARGE -> {
                    out.writeBytes(BOLD_OFF);
                    out.writeBytes(LARGE_OFF);
                }
                default -> { }
            }
            out.write(LF);
        }
        if (chinese) {
            out.writeBytes(CHINESE_OFF);
        }
        out.writeBytes(FEED_AND_CUT);
        return out.toByteArray();
    }
}
