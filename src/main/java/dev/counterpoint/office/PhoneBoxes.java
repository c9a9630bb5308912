package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PhoneBox;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head office's copy of members' full phone numbers (decision 0059): each arrives in its enrolment sealed with the
 * chain's phone-box key ({@link PhoneBox}) and is kept so, in {@code member.phone_box}. The private key is made on first
 * need and kept sealed under the office's key in {@code office_setting}; its public half goes to terminals in the
 * registration reply and on the change feed. A box is opened only to answer an access request (the member's export),
 * to address a reminder to a member who consented to it (office.reminder, decision 0068), and to prove an enrolment's
 * phone before it joins the member holding that phone; every opening checks the number against the member's phone
 * hash and mask (decision 0096).
 */
public final class PhoneBoxes {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneBoxes.class);
    static final String PRIVATE_SETTING = "phone_box_private_key";
    static final String PUBLIC_SETTING = "phone_box_public_key";

    private record Keys(String publicText, PrivateKey privateKey) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;
    private final SettingSeal seal;
    private volatile Keys keys;
    private volatile Phones chainPhones;
    private volatile PublicKey sealKey;

    public PhoneBoxes(Jdbi jdbi, Clock clock, ObjectMapper json, SettingSeal seal) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
        this.seal = seal;
    }

    /** Makes the key pair if there is none, so terminals have the public key before they enrol anyone. */
    public void publishKey() {
        keys();
    }

    /** The public key terminals seal numbers with (base64 X.509), for the registration reply. */
    public String publicKey() {
        return keys().publicText();
    }

    /**
     * The enrolment's box if it holds the very number the enrolment's hash and mask stand for, else null. Asked only
     * when the enrolment is to join a member who holds its phone: an RSA-3072 opening takes milliseconds, and a
     * store-day's new members would spend seconds of every push on it. Every other box is checked when it is opened.
     */
    String verified(Handle h, IncomingEvent e, Event.MemberEnrolled m) {
        if (m.phoneBox() != null && open(h, m.phoneBox(), m.phoneHmac(), m.phoneMasked()).isPresent()) {
            return m.phoneBox();
        }
        LOG.warn("event {} from {}: its phone box does not hold the number its hash stands for; not kept", e.eventId(),
                e.storeId());
        return null;
    }

    /**
     * The number a kept box holds (an access request, a reminder's address), when it is the very number the member's
     * phone hash and mask stand for; empty when there is no box, or it was sealed for another key, altered, or holds
     * another number. A box is kept as the enrolment brought it, so this check is what makes its number the member's.
     */
    public Optional<String> open(Handle h, String box, String phoneHmac, String phoneMasked) {
        if (box == null || phoneHmac == null || phoneMasked == null) {
            return Optional.empty();
        }
        Optional<String> number = PhoneBox.open(keys().privateKey(), box);
        if (number.isPresent() && phoneHmac.equals(chainPhones(h).hmac(number.get()))
                && Phones.mask(number.get()).equals(phoneMasked)) {
            return number;
        }
        return Optional.empty();
    }

    /** A box of a normalised number sealed for head office itself, as a terminal seals one (head office's own import). */
    String seal(String normalisedPhone) {
        PublicKey key = sealKey;
        if (key == null) {
            key = PhoneBox.publicKey(publicKey());
            sealKey = key;
        }
        return PhoneBox.seal(key, normalisedPhone);
    }

    /** The chain's keyed hash of phone numbers, as terminals use it; made with the chain's phone key on first need. */
    Phones chainPhones(Handle h) {
        Phones p = chainPhones;
        if (p == null) {
            p = new Phones(HexFormat.of().parseHex(Registrations.phoneKey(h, seal)));
            chainPhones = p;
        }
        return p;
    }

    private Keys keys() {
        Keys k = keys;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (keys == null) {
                keys = jdbi.inTransaction(this::loadOrMake);
            }
            return keys;
        }
    }

    private Keys loadOrMake(Handle h) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        // Under the feed lock: two nodes starting at once make one key pair between them.
        FeedWriter feed = new FeedWriter(h, json, now);
        Optional<String> stored = OfficeSettings.find(h, PRIVATE_SETTING);
        if (stored.isPresent()) {
            feed.finish();
            return new Keys(OfficeSettings.find(h, PUBLIC_SETTING).orElseThrow(),
                    decode(seal.unseal(PRIVATE_SETTING, stored.get())));
        }
        KeyPair pair = PhoneBox.newKeyPair();
        String publicText = PhoneBox.publicKeyText(pair.getPublic());
        OfficeSettings.insert(h, PRIVATE_SETTING,
                seal.seal(PRIVATE_SETTING, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())));
        OfficeSettings.insert(h, PUBLIC_SETTING, publicText);
        feed.append(new Change.PhoneBoxKey(publicText, now), null);
        feed.finish();
        return new Keys(publicText, pair.getPrivate());
    }

    private static PrivateKey decode(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException("head office's phone-box key does not decode; restore the database", e);
        }
    }
}
