package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;
import java.time.Clock;

/** Opens the channel a spec names, checked before anything is due or sent. */
public final class ReminderChannels {
    private ReminderChannels() {}

    /**
     * @param consent the consent to require instead of the channel's own (file and webhook only; null: the channel's)
     * @param secret  the webhook's signing secret (optional) or the SMS gateway's API key (required); null if none
     */
    public static ReminderChannel open(ChannelSpec spec, ConsentChannel consent, String secret, Clock clock) {
        return open(spec, consent, secret, clock, new HttpDelivery(HttpDelivery.newClient(), d -> Thread.sleep(d.toMillis())));
    }

    static ReminderChannel open(ChannelSpec spec, ConsentChannel consent, String secret, Clock clock, HttpDelivery http) {
        ConsentChannel needed = consent == null ? spec.kind().defaultConsent() : consent;
        return switch (spec.kind()) {
            case FILE -> {
                if (secret != null) {
                    throw new IllegalArgumentException("file: takes no secret");
                }
                FileReminderChannel file = new FileReminderChannel(spec.file(), needed);
                file.prepare();
                yield file;
            }
            case WEBHOOK -> new WebhookChannel(spec, secret, needed, http, clock);
            case SMS -> {
                if (needed != ConsentChannel.MARKETING_SMS) {
                    throw new IllegalArgumentException("sms: sends text messages, which need the members' SMS consent");
                }
                yield new SmsGatewayChannel(spec, secret, http);
            }
        };
    }
}
