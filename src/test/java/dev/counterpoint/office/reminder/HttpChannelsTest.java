package dev.counterpoint.office.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.office.reminder.ReminderChannel.Delivery;
import dev.counterpoint.protocol.ConsentChannel;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The webhook and the SMS gateway adapter against a receiver on loopback: what goes over the wire, what counts as
 * sent, and the bounded tries with growing pauses (recorded, not waited) on 5xx, 429 and timeouts.
 */
class HttpChannelsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T02:00:00Z"), ZoneOffset.UTC);
    private static final ReminderMessage MESSAGE = new ReminderMessage("cp-0123456789abcdef0123456789abcdef", "2900000000018",
            ReminderKind.BIRTHDAY, "sms", "13800135678", "【咖啡小站】林雨桐，3月12日是您的生日，提前祝您生日快乐，期待您的光临！回T退订");
    private final List<Duration> pauses = new ArrayList<>();
    private final HttpDelivery http = new HttpDelivery(HttpDelivery.newClient(), pauses::add);

    private ReminderChannel webhook(StubServer stub, String secret) {
        return ReminderChannels.open(ChannelSpec.parse("webhook:" + stub.url("/hooks/reminders")), null, secret, CLOCK, http);
    }

    private ReminderChannel sms(StubServer stub) {
        return ReminderChannels.open(ChannelSpec.parse("sms:" + stub.url("/v2/sms/single_send.json")), null, "key-123", CLOCK, http);
    }

    @Test
    void theWebhookPostsTheMessageAsJsonWithItsKeyAndASignatureTheReceiverCanCheck() throws Exception {
        try (StubServer stub = new StubServer(StubServer.Answer.of(204, ""))) {
            Delivery d = webhook(stub, "shared-secret").send(MESSAGE);

            assertThat(d).isEqualTo(new Delivery.Sent(null));
            StubServer.Request r = stub.requests.get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hooks/reminders");
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("Idempotency-Key")).isEqualTo(MESSAGE.idempotencyKey());
            JsonNode body = new ObjectMapper().readTree(r.body());
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("card_code", "kind", "channel", "to", "text");
            assertThat(body.path("to").asText()).isEqualTo("13800135678");
            assertThat(body.path("kind").asText()).isEqualTo("birthday");
            assertThat(r.header(WebhookChannel.TIMESTAMP_HEADER)).isEqualTo("1773108000");
            assertThat(r.header(WebhookChannel.SIGNATURE_HEADER))
                    .isEqualTo("sha256=" + WebhookChannel.sign("shared-secret", "1773108000", r.body()))
                    .isNotEqualTo("sha256=" + WebhookChannel.sign("another-secret", "1773108000", r.body()));
        }
    }

    @Test
    void withoutASecretTheWebhookSendsNoSignature() {
        try (StubServer stub = new StubServer(StubServer.Answer.of(200, "{}"))) {
            assertThat(webhook(stub, null).send(MESSAGE)).isInstanceOf(Delivery.Sent.class);
            assertThat(stub.requests.get(0).header(WebhookChannel.SIGNATURE_HEADER)).isNull();
        }
    }

    @Test
    void a503ThenA200SendsOnceAfterOnePauseWithTheSameKey() {
        try (StubServer stub = new StubServer(StubServer.Answer.of(503, "{\"error\":\"busy\"}"), StubServer.Answer.of(200, "{}"))) {
            Delivery d = webhook(stub, null).send(MESSAGE);

            assertThat(d).isInstanceOf(Delivery.Sent.class);
            assertThat(stub.requests).hasSize(2);
            assertThat(stub.requests).extracting(r -> r.header("Idempotency-Key")).containsOnly(MESSAGE.idempotencyKey());
            assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        }
    }

    @Test
    void fiveHundredsThreeTimesFailAfterDoublingPausesAndA4xxFailsAtOnce() {
        try (StubServer stub = new StubServer(StubServer.Answer.of(502, ""))) {
            Delivery d = webhook(stub, null).send(MESSAGE);
            assertThat(d).isEqualTo(new Delivery.Failed("the webhook webhook:" + stub.url("/hooks/reminders")
                    + " answered HTTP 502 (3 tries)"));
            assertThat(stub.requests).hasSize(HttpDelivery.TRIES);
            assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
        pauses.clear();
        try (StubServer stub = new StubServer(StubServer.Answer.of(400, "{\"error\":\"bad number 13800135678\"}"))) {
            Delivery d = webhook(stub, null).send(MESSAGE);
            assertThat(((Delivery.Failed) d).reason()).endsWith("answered HTTP 400: {\"error\":\"bad number [number]\"}");
            assertThat(stub.requests).hasSize(1);
            assertThat(pauses).isEmpty();
        }
    }

    @Test
    void a429IsTriedAgainAfterTheRetryAfterAskedForUpToThirtySeconds() {
        try (StubServer stub = new StubServer(new StubServer.Answer(429, "", Map.of("Retry-After", "7")),
                new StubServer.Answer(429, "", Map.of("Retry-After", "600")), StubServer.Answer.of(200, ""))) {
            assertThat(webhook(stub, null).send(MESSAGE)).isInstanceOf(Delivery.Sent.class);
            assertThat(pauses).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
        }
    }

    @Test
    void anAnswerThatDoesNotComeInTimeIsTriedAgain() {
        HttpDelivery impatient = new HttpDelivery(HttpDelivery.newClient(), pauses::add, Duration.ofMillis(200));
        try (StubServer stub = new StubServer(StubServer.Answer.late(200, 3_000), StubServer.Answer.of(200, ""))) {
            ReminderChannel channel = ReminderChannels.open(ChannelSpec.parse("webhook:" + stub.url("/r")), null, null, CLOCK,
                    impatient);

            assertThat(channel.send(MESSAGE)).isInstanceOf(Delivery.Sent.class);
            assertThat(stub.requests).hasSize(2);
            assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        }
    }

    @Test
    void aReceiverThatIsNotThereIsTriedThreeTimes() {
        StubServer gone = new StubServer(StubServer.Answer.of(200, ""));
        ReminderChannel channel = webhook(gone, null);
        gone.close();

        Delivery d = channel.send(MESSAGE);

        assertThat(((Delivery.Failed) d).reason()).startsWith("cannot connect to the webhook").endsWith("(3 tries)");
        assertThat(pauses).hasSize(2);
    }

    @Test
    void aRedirectIsNotFollowed() {
        try (StubServer stub = new StubServer(new StubServer.Answer(302, "", Map.of("Location", "https://elsewhere.example/")))) {
            Delivery d = webhook(stub, null).send(MESSAGE);
            assertThat(((Delivery.Failed) d).reason()).contains("answered HTTP 302");
            assertThat(stub.requests).hasSize(1);
        }
    }

    @Test
    void theSmsGatewayGetsTheFormOfYunpiansSingleSendAndCodeZeroIsSent() {
        try (StubServer stub = new StubServer(StubServer.Answer.of(200, """
                {"code":0,"msg":"发送成功","count":1,"fee":0.05,"unit":"RMB","mobile":"13800135678","sid":3310228982}"""))) {
            Delivery d = sms(stub).send(MESSAGE);

            assertThat(d).isEqualTo(new Delivery.Sent("3310228982"));
            StubServer.Request r = stub.requests.get(0);
            assertThat(r.path()).isEqualTo("/v2/sms/single_send.json");
            assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
            Map<String, String> form = Arrays.stream(r.body().split("&")).map(p -> p.split("=", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
            assertThat(form).containsOnlyKeys("apikey", "mobile", "text", "uid");
            assertThat(form).containsEntry("apikey", "key-123").containsEntry("mobile", "13800135678")
                    .containsEntry("text", MESSAGE.text()).containsEntry("uid", MESSAGE.idempotencyKey());
        }
    }

    @Test
    void theGatewaysRefusalIsAFailureNotTriedAgainAndA503IsTriedAgain() {
        try (StubServer stub = new StubServer(StubServer.Answer.of(200, "{\"code\":22,\"msg\":\"验证码类短信1小时内同一手机号发送次数不能超过3次\"}"))) {
            Delivery d = sms(stub).send(MESSAGE);
            assertThat(((Delivery.Failed) d).reason()).startsWith("the SMS gateway refused it: code 22 ");
            assertThat(stub.requests).hasSize(1);
        }
        try (StubServer stub = new StubServer(StubServer.Answer.of(503, ""), StubServer.Answer.of(200, "{\"code\":0,\"sid\":7}"))) {
            assertThat(sms(stub).send(MESSAGE)).isEqualTo(new Delivery.Sent("7"));
            assertThat(stub.requests).hasSize(2);
        }
        try (StubServer stub = new StubServer(StubServer.Answer.of(200, "<html>maintenance</html>"))) {
            assertThat(((Delivery.Failed) sms(stub).send(MESSAGE)).reason()).contains("without JSON");
        }
    }

    @Test
    void theSmsGatewayNeedsItsKeyAndSmsConsent() {
        ChannelSpec spec = ChannelSpec.parse("sms:https://sms.yunpian.com/v2/sms/single_send.json");
        assertThatThrownBy(() -> ReminderChannels.open(spec, null, null, CLOCK, http))
                .hasMessageContaining("needs the gateway's API key");
        assertThatThrownBy(() -> ReminderChannels.open(spec, ConsentChannel.MARKETING_WECHAT, "k", CLOCK, http))
                .hasMessageContaining("SMS consent");
        assertThat(ReminderChannels.open(ChannelSpec.parse("webhook:https://hooks.example/r"), ConsentChannel.MARKETING_WECHAT,
                null, CLOCK, http).consent()).isEqualTo(ConsentChannel.MARKETING_WECHAT);
    }
}
