package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A channel that keeps what it is given and answers as the test says (sent, by default). */
final class RecordingChannel implements ReminderChannel {
    final List<ReminderMessage> given = new ArrayList<>();
    private final ConsentChannel consent;
    Function<ReminderMessage, Delivery> answer = m -> new Delivery.Sent("ref-" + given.size());

    RecordingChannel(ConsentChannel consent) {
        this.consent = consent;
    }

    static RecordingChannel sms() {
        return new RecordingChannel(ConsentChannel.MARKETING_SMS);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String shown() {
        return "test:" + consent;
    }

    @Override
    public ConsentChannel consent() {
        return consent;
    }

    @Override
    public Delivery send(ReminderMessage message) {
        given.add(message);
        return answer.apply(message);
    }

    List<String> cards() {
        return given.stream().map(m -> m.cardCode() + " " + m.kind().wire()).toList();
    }
}
