package dev.counterpoint.scan;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;

/** Makes member tokens: head office's job; here for the {@code member-qr} command and tests. */
public final class MemberQrSigner {
    private final PrivateKey key;
    private final Clock clock;

    public MemberQrSigner(PrivateKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** A token for the card, valid for {@link MemberQrVerifier#VALIDITY} from now. */
    public String tokenFor(String cardCode) {
        long expires = clock.instant().getEpochSecond() + MemberQrVerifier.VALIDITY.toSeconds();
        String signed = MemberQrToken.signedText(cardCode, expires);
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key);
            ed.update(signed.getBytes(StandardCharsets.US_ASCII));
            String token = MemberQrToken.withSignature(signed, ed.sign());
            if (MemberQrToken.parse(token).isEmpty()) {
                throw new IllegalArgumentException("not a card code a member token can carry: " + cardCode);
            }
            return token;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
