package dev.counterpoint.scan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The signed rotating member code a member's phone shows: {@code CP1.<card code>.<expiry>.<signature>},
 * expiry in epoch seconds, signature Ed25519 over everything before the last dot, base64url without
 * padding. Head office signs; terminals verify offline with its public key (docs/decisions).
 */
public record MemberQrToken(String cardCode, long expiresEpochSecond, byte[] signedPart, byte[] signature) {
    public static final String PREFIX = "CP1.";
    static final int SIGNATURE_BYTES = 64;
    private static final int SIGNATURE_CHARS = 86;

    /** Splits a token; empty if it is not shaped like one (nothing is verified here). */
    public static Optional<MemberQrToken> parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() > CodeParser.MAX_LENGTH) {
            return Optional.empty();
        }
        int cardEnd = text.indexOf('.', PREFIX.length());
        int expiryEnd = cardEnd < 0 ? -1 : text.indexOf('.', cardEnd + 1);
        if (expiryEnd < 0 || text.indexOf('.', expiryEnd + 1) >= 0) {
            return Optional.empty();
        }
        String card = text.substring(PREFIX.length(), cardEnd);
        String expiry = text.substring(cardEnd + 1, expiryEnd);
        String signature = text.substring(expiryEnd + 1);
        if (card.isEmpty() || card.length() > CodeParser.MAX_CARD_LENGTH || !asciiWord(card)
                || expiry.isEmpty() || expiry.length() > 12 || !expiry.chars().allMatch(c -> c >= '0' && c <= '9')
                || signature.length() != SIGNATURE_CHARS) {
            return Optional.empty();
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (sig.length != SIGNATURE_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new MemberQrToken(card, Long.parseLong(expiry),
                text.substring(0, expiryEnd).getBytes(StandardCharsets.US_ASCII), sig));
    }

    static boolean wellFormed(String text) {
        return parse(text).isPresent();
    }

    /** The part a signature covers. */
    static String signedText(String cardCode, long expiresEpochSecond) {
        return PREFIX + cardCode + "." + expiresEpochSecond;
    }

    static String withSignature(String signedText, byte[] signature) {
        return signedText + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** Letters, digits and a few marks card numbers use; never the separator. */
    private static boolean asciiWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
