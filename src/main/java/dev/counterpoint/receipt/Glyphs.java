package dev.counterpoint.receipt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;

/**
 * How each character reaches an ESC/POS printer and how many columns it takes there: ASCII as it is; Latin-1 letters
 * and signs (¥, é) in code page 437; everything else that GB18030 writes in two bytes (Chinese, full-width punctuation)
 * in the printer's Chinese mode, two columns wide; anything else is printed as "?". The layout counts columns with the
 * same rule, so what the preview shows is what the printer prints.
 */
final class Glyphs {
    static final Charset CP437 = Charset.forName("IBM437");
    static final Charset GB18030 = Charset.forName("GB18030");

    enum Kind { ASCII, LATIN, CJK, NONE }

    private Glyphs() {}

    static Kind kind(int cp) {
        if (cp >= 0x20 && cp < 0x7F) {
            return Kind.ASCII;
        }
        if (cp >= 0xA0 && cp <= 0xFF && latin(cp) != 0) {
            return Kind.LATIN;
        }
        if (cp >= 0x80 && cp <= 0xFFFF && !Character.isISOControl(cp) && !Character.isSurrogate((char) cp)
                && cjk(cp) != null) {
            return Kind.CJK;
        }
        return Kind.NONE;
    }

    /** Columns the character takes on paper: two in Chinese mode, else one. */
    static int width(int cp) {
        return kind(cp) == Kind.CJK ? 2 : 1;
    }

    static int width(String s) {
        return s.codePoints().map(Glyphs::width).sum();
    }

    /** The text as it prints: characters the printer cannot print become "?". */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (kind(cp) == Kind.NONE) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** The code page 437 byte of a Latin-1 character, or 0 when it has none. */
    static byte latin(int cp) {
        byte[] b = encode(CP437.newEncoder(), cp);
        return b != null && b.length == 1 ? b[0] : 0;
    }

    /** The two GB18030 (GBK range) bytes of a character, or null when it has none (or only a four-byte form). */
    static byte[] cjk(int cp) {
        byte[] b = encode(GB18030.newEncoder(), cp);
        return b != null && b.length == 2 && (b[0] & 0xFF) >= 0x81 ? b : null;
    }

    private static byte[] encode(CharsetEncoder encoder, int cp) {
        try {
            ByteBuffer out = encoder.encode(CharBuffer.wrap(Character.toChars(cp)));
            byte[] b = new byte[out.remaining()];
            out.get(b);
            return b;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
