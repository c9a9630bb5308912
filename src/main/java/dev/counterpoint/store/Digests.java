package dev.counterpoint.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The close-of-day digest: SHA-256 over event ids in sequence order, one per line. Head office computes the same. */
public final class Digests {
    private Digests() {}

    public static String ofEventIds(List<String> eventIdsInOrder) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String id : eventIdsInOrder) {
                md.update((id + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
