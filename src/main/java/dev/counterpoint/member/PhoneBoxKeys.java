package dev.counterpoint.member;

import dev.counterpoint.protocol.PhoneBox;
import dev.counterpoint.protocol.ProtocolException;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head office's phone-box keys held here (table {@code phone_box_key}), and the boxes made with the latest: a new
 * member's full number sealed for head office alone (decision 0059). A terminal that has none yet (running alone, or
 * registered but not yet synced) makes no box; the number stays sealed here under the data key.
 */
public final class PhoneBoxKeys {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneBoxKeys.class);

    /** The last key read and its text, so a run of enrolments (an import) parses it once. */
    private volatile Parsed last;

    private record Parsed(String text, PublicKey key) {
    }

    /** Adds a key head office published; a key already held is left as it is. */
    public void insert(Handle h, String publicKey, OffsetDateTime at) {
        h.createUpdate("MERGE INTO phone_box_key(public_key, added_at) KEY (public_key) VALUES (:k, :at)")
                .bind("k", publicKey).bind("at", at).execute();
    }

    /** The latest key held, if any. */
    public Optional<PublicKey> latest(Handle h) {
        Optional<String> text = h.createQuery("SELECT public_key FROM phone_box_key ORDER BY added_at DESC, public_key LIMIT 1")
                .mapTo(String.class).findOne();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Parsed p = last;
        if (p != null && p.text().equals(text.get())) {
            return Optional.of(p.key());
        }
        try {
            PublicKey key = PhoneBox.publicKey(text.get());
            last = new Parsed(text.get(), key);
            return Optional.of(key);
        } catch (ProtocolException e) {
            LOG.warn("the phone-box key held here does not decode; new members' numbers stay here only");
            return Optional.empty();
        }
    }

    /** The number sealed for head office with the latest key; null without a number or a key. */
    public String box(Handle h, String normalisedPhone) {
        if (normalisedPhone == null) {
            return null;
        }
        return latest(h).map(k -> PhoneBox.seal(k, normalisedPhone)).orElse(null);
    }
}
