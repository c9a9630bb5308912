package dev.counterpoint.scan;

import dev.counterpoint.shared.UserMessage;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks a member token offline: signed by a trusted head-office key, not expired. A token is good
 * for {@link #VALIDITY} from when it was made; {@link #SKEW} either way absorbs phone and terminal
 * clocks that disagree a little. Past that, a replayed screenshot is refused as expired.
 */
public final class MemberQrVerifier {
    public static final Duration VALIDITY = Duration.ofSeconds(60);
    public static final Duration SKEW = Duration.ofSeconds(30);

    /** The card code a good token names, or why it is refused. */
    public sealed interface Outcome permits Verified, Refused {
    }

    public record Verified(String cardCode) implements Outcome {
    }

    public record Refused(UserMessage reason) implements Outcome {
    }

    private final Supplier<List<PublicKey>> trusted;
    private final Clock clock;

    public MemberQrVerifier(List<PublicKey> trusted, Clock clock) {
        List<PublicKey> fixed = List.copyOf(trusted);
        this.trusted = () -> fixed;
        this.clock = clock;
    }

    /** @param trusted head office's public keys as this terminal holds them now (they arrive with sync) */
    public MemberQrVerifier(Supplier<List<PublicKey>> trusted, Clock clock) {
        this.trusted = trusted;
        this.clock = clock;
    }

    public Outcome verify(String text) {
        MemberQrToken token = MemberQrToken.parse(text).orElse(null);
        if (token == null) {
            return new Refused(new UserMessage("scan.qr.malformed"));
        }
        List<PublicKey> keys = trusted.get();
        if (keys.isEmpty()) {
            return new Refused(new UserMessage("scan.qr.noKey"));
        }
        if (!signedByTrustedKey(keys, token)) {
            return new Refused(new UserMessage("scan.qr.forged"));
        }
        long now = clock.instant().getEpochSecond();
        if (now > token.expiresEpochSecond() + SKEW.toSeconds()) {
            return new Refused(new UserMessage("scan.qr.expired"));
        }
        if (token.expiresEpochSecond() > now + VALIDITY.toSeconds() + SKEW.toSeconds()) {
            // genuinely signed but made for the future: this terminal's clock is behind
            return new Refused(new UserMessage("scan.qr.clockBehind"));
        }
        return new Verified(token.cardCode());
    }

    private static boolean signedByTrustedKey(List<PublicKey> keys, MemberQrToken token) {
        for (PublicKey key : keys) {
            try {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initVerify(key);
                ed.update(token.signedPart());
                if (ed.verify(token.signature())) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature is simply not a match for this key
            }
        }
        return false;
    }
}
