package dev.counterpoint.member;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mainland mobile numbers: normalised to 11 digits, shown masked, and stored only as a keyed
 * hash (for exact lookup) plus the last four digits (for the cashier's "last 4" search).
 */
public final class Phones {
    private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s-]");

    /** A keyed Mac per thread: looking the algorithm up and keying it per call cost more than the hash itself. */
    private final ThreadLocal<Mac> mac;

    public Phones(byte[] key) {
        byte[] copy = key.clone();
        this.mac = ThreadLocal.withInitial(() -> keyed(copy));
    }

    private static Mac keyed(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** "+86 138-0013-8000" → "13800138000"; empty when it is not a mainland mobile number. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = SEPARATORS.matcher(raw.strip()).replaceAll("");
        if (digits.startsWith("+86")) {
            digits = digits.substring(3);
        } else if (digits.startsWith("86") && digits.length() == 13) {
            digits = digits.substring(2);
        }
        return MOBILE.matcher(digits).matches() ? Optional.of(digits) : Optional.empty();
    }

    /** "13800135678" → "138****5678". */
    public static String mask(String normalised) {
        return normalised.substring(0, 3) + "****" + normalised.substring(7);
    }

    public static String last4(String normalised) {
        return normalised.substring(7);
    }

    public String hmac(String normalised) {
        // doFinal resets the Mac for the next call, keeping its key.
        return HexFormat.of().formatHex(mac.get().doFinal(normalised.getBytes(StandardCharsets.US_ASCII)));
    }
}
