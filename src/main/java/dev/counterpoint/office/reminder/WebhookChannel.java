package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each reminder POSTed as JSON ({@link ReminderMessage#json()}) to the owner's URL, with the header
 * {@code Idempotency-Key}. With a shared secret, also {@code X-Counterpoint-Timestamp} (Unix seconds) and
 * {@code X-Counterpoint-Signature: sha256=HEX}, the HMAC-SHA256 under the secret of the timestamp, a dot and the body,
 * so the receiver can tell the message is head office's and not replayed. Any 2xx answer is taken as sent.
 */
public final class WebhookChannel implements ReminderChannel {
    public static final String SIGNATURE_HEADER = "X-Counterpoint-Signature";
    public static final String TIMESTAMP_HEADER = "X-Counterpoint-Timestamp";

    private final URI url;
    private final String secret;
    private final ConsentChannel consent;
    private final HttpDelivery http;
    private final Clock clock;
    private final String shown;

    WebhookChannel(ChannelSpec spec, String secret, ConsentChannel consent, HttpDelivery http, Clock clock) {
        this.url = spec.url();
        this.secret = secret;
        this.consent = consent;
        this.http = http;
        this.clock = clock;
        this.shown = spec.shown();
    }

    @Override
    public String name() {
        return ChannelSpec.Kind.WEBHOOK.wire();
    }

    @Override
    public String shown() {
        return shown;
    }

    @Override
    public ConsentChannel consent() {
        return consent;
    }

    @Override
    public Delivery send(ReminderMessage message) {
        String body = message.json();
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(http.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Idempotency-Key", message.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (secret != null) {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            b.header(TIMESTAMP_HEADER, timestamp).header(SIGNATURE_HEADER, "sha256=" + sign(secret, timestamp, body));
        }
        return http.send(b.build(), "the webhook " + shown, r -> new Delivery.Sent(null));
    }

    /** The signature a receiver recomputes: hex HMAC-SHA256 under {@code secret} of {@code timestamp + "." + body}. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
