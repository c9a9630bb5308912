package dev.counterpoint.office.reminder;

/**
 * How many SMS a text takes: in the GSM 7-bit alphabet 160 characters in one, 153 per part of a longer one (the
 * extension characters count twice); otherwise (any Chinese character) UCS-2, 70 in one and 67 per part.
 */
final class SmsLength {
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";
    static final int UCS2_SINGLE = 70;

    private SmsLength() {}

    static int segments(String text) {
        int septets = 0;
        boolean gsm = true;
        for (int i = 0; i < text.length() && gsm; i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                gsm = false;
            }
        }
        int units = gsm ? septets : text.length(); // UTF-16 units: a character beyond the BMP takes two
        int single = gsm ? 160 : UCS2_SINGLE;
        int part = gsm ? 153 : 67;
        return units <= single ? 1 : (units + part - 1) / part;
    }
}
