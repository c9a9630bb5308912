package dev.counterpoint.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * A member's full phone number sealed for head office alone (decision 0059): RSA-OAEP with SHA-256 under head office's
 * 3072-bit phone-box key, whose public half terminals receive and whose private half never leaves head office. The
 * terminal that enrols a member puts the box in the enrolment, so the number reaches head office without being readable
 * in any outbox, inbox or feed row on the way. Wire form: base64 of the 384-byte ciphertext.
 */
public final class PhoneBox {
    static final int KEY_BITS = 3072;
    static final int BOX_BYTES = KEY_BITS / 8;
    /** The base64 length of a box (384 bytes, padded). */
    public static final int BOX_CHARS = (BOX_BYTES + 2) / 3 * 4;
    /** An X.509 RSA-3072 public key in base64 is about 560 characters. */
    public static final int MAX_KEY_CHARS = 800;
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);

    private PhoneBox() {}

    /** A new key pair for head office. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(KEY_BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    /** The public key as it travels (base64 of its X.509 encoding). */
    public static String publicKeyText(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** A public key read from the wire: an RSA key of {@value #KEY_BITS} bits, else {@link ProtocolException}. */
    public static PublicKey publicKey(String text) {
        if (text == null || text.length() > MAX_KEY_CHARS) {
            throw new ProtocolException("public_key: not a phone-box key");
        }
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == KEY_BITS) {
                return key;
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // reported below
        }
        throw new ProtocolException("public_key: not a base64 RSA-" + KEY_BITS + " public key");
    }

    /** Seals a normalised phone number for the holder of {@code key}'s private half. */
    public static String seal(PublicKey key, String normalisedPhone) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, key, OAEP);
            return Base64.getEncoder().encodeToString(c.doFinal(normalisedPhone.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is part of every JDK", e);
        }
    }

    /** The number in a box, or empty when it was not sealed for {@code key} or was altered. */
    public static Optional<String> open(PrivateKey key, String box) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, OAEP);
            return Optional.of(new String(c.doFinal(Base64.getDecoder().decode(box)), StandardCharsets.US_ASCII));
        } catch (BadPaddingException | IllegalBlockSizeException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is part of every JDK", e);
        }
    }

    /** A box's shape as it arrives: base64 of exactly {@value #BOX_BYTES} bytes, or absent. */
    static String check(String box, String field) {
        if (box == null) {
            return null;
        }
        try {
            if (box.length() == BOX_CHARS && Base64.getDecoder().decode(box).length == BOX_BYTES) {
                return box;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ProtocolException(field + ": not a phone box (base64 of " + BOX_BYTES + " bytes)");
    }
}
