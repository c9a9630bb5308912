package dev.counterpoint.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Member-QR keys in the data dir. {@value #TRUSTED_FILE} lists the head-office public keys this
 * terminal accepts (one base64 X.509 Ed25519 key a line; several while head office rotates keys).
 * Until head office sends them with sync, {@value #SIGNING_FILE} holds a local signing key standing
 * in for head office, made on first use by {@code member-qr}, whose public key is then trusted.
 */
public final class MemberQrKeys {
    public static final String TRUSTED_FILE = "member-qr-trusted.keys";
    public static final String SIGNING_FILE = "member-qr-signing.key";

    private MemberQrKeys() {}

    /** The trusted public keys; none if the file is missing. A bad line names the file and line. */
    public static List<PublicKey> trusted(Path dataDir) {
        Path file = dataDir.resolve(TRUSTED_FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<PublicKey> keys = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    keys.add(KeyFactory.getInstance("Ed25519")
                            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(line))));
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    throw new IllegalStateException(file + " line " + (i + 1)
                            + ": not a base64 Ed25519 public key; restore the file from head office", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return List.copyOf(keys);
    }

    /** The local signing key, made (and its public key trusted) if there is none yet. */
    public static PrivateKey signingKey(Path dataDir) {
        Path file = dataDir.resolve(SIGNING_FILE);
        try {
            if (Files.exists(file)) {
                byte[] der = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
                return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(dataDir);
            Files.writeString(file, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n",
                    StandardCharsets.US_ASCII);
            trust(dataDir, pair.getPublic());
            return pair.getPrivate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException(file + ": not a base64 Ed25519 private key; delete it to make a new one", e);
        }
    }

    /** Adds a public key to the trusted list. */
    public static void trust(Path dataDir, PublicKey key) throws IOException {
        Path file = dataDir.resolve(TRUSTED_FILE);
        String line = Base64.getEncoder().encodeToString(key.getEncoded()) + "\n";
        if (!Files.exists(file)) {
            Files.writeString(file, "# Ed25519 public keys whose member QR codes this terminal accepts\n" + line,
                    StandardCharsets.UTF_8);
        } else {
            Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
