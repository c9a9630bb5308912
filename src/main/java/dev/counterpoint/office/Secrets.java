package dev.counterpoint.office;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets and their hashes. Secrets carry 120+ random bits, so a plain SHA-256 is enough to keep only hashes. */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Registration codes are typed by a person: no 0/O/1/I. */
    private static final char[] CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();

    private Secrets() {}

    /** 24 characters from a 32-letter alphabet: 120 bits. */
    static String registrationCode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
        }
        return sb.toString();
    }

    static String credential(String prefix) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] key() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Codes are compared as typed, without the dashes and case a person may change. */
    static String normaliseCode(String code) {
        return code.strip().replace("-", "").toUpperCase(java.util.Locale.ROOT);
    }
}
