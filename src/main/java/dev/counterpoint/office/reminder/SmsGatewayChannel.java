package dev.counterpoint.office.reminder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.ConsentChannel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * An SMS gateway of the shape of Yunpian's {@code single_send} (云片, {@code https://sms.yunpian.com/v2/sms/single_send.json}),
 * which several Chinese gateways copy: a form POST of {@code apikey}, {@code mobile}, {@code text} (starting with the
 * approved 【signature】) and {@code uid} (our id for the message), answered with JSON whose {@code code} is 0 when the
 * gateway took the message (its id in {@code sid}); any other code is a refusal (a text the gateway's templates do
 * not allow, a number it will not send to) and is not tried again in the run. The API key is the channel's secret.
 */
public final class SmsGatewayChannel implements ReminderChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String apiKey;
    private final HttpDelivery http;
    private final String shown;

    SmsGatewayChannel(ChannelSpec spec, String apiKey, HttpDelivery http) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("sms: needs the gateway's API key: --secret-file FILE (the key on its first "
                    + "line) or COUNTERPOINT_REMINDER_SECRET");
        }
        this.url = spec.url();
        this.apiKey = apiKey;
        this.http = http;
        this.shown = spec.shown();
    }

    @Override
    public String name() {
        return ChannelSpec.Kind.SMS.wire();
    }

    @Override
    public String shown() {
        return shown;
    }

    @Override
    public ConsentChannel consent() {
        return ConsentChannel.MARKETING_SMS;
    }

    @Override
    public Delivery send(ReminderMessage message) {
        String form = "apikey=" + enc(apiKey) + "&mobile=" + enc(message.to()) + "&text=" + enc(message.text())
                + "&uid=" + enc(message.idempotencyKey());
        HttpRequest request = HttpRequest.newBuilder(url).timeout(http.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json;charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        return http.send(request, "the SMS gateway " + shown, SmsGatewayChannel::judge);
    }

    /** A 2xx answer: code 0 is sent; anything else, or no JSON, is a refusal. */
    static Delivery judge(HttpResponse<String> r) {
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            return new Delivery.Failed("the SMS gateway answered HTTP " + r.statusCode() + " without JSON"
                    + HttpDelivery.excerpt(r.body()));
        }
        if (body != null && body.path("code").isIntegralNumber() && body.path("code").asInt() == 0) {
            JsonNode sid = body.path("sid");
            return new Delivery.Sent(sid.isMissingNode() || sid.isNull() ? null : sid.asText());
        }
        String code = body == null ? "?" : body.path("code").asText("?");
        String msg = body == null ? "" : body.path("msg").asText("");
        return new Delivery.Failed("the SMS gateway refused it: code " + Reminders.scrub(code)
                + (msg.isEmpty() ? "" : " " + Reminders.scrub(msg.length() > 120 ? msg.substring(0, 120) + "…" : msg)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
