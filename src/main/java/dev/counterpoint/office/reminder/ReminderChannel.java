package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;

/**
 * Where a reminder goes: a file, a webhook or an SMS gateway. A channel delivers one message at a time and answers
 * with what became of it; a failure to deliver is an answer ({@link Delivery.Failed}), not an exception.
 */
public interface ReminderChannel {
    /** {@code file}, {@code webhook} or {@code sms}, as runs record it. */
    String name();

    /** The spec as it may be shown and logged (no key, no query). */
    String shown();

    /** The consent a member must have given to be sent a message on this channel. */
    ConsentChannel consent();

    Delivery send(ReminderMessage message);

    /** What became of a message. */
    sealed interface Delivery {
        /** Taken by the channel; {@code reference} is the receiver's id for it, if it gave one. */
        record Sent(String reference) implements Delivery {
        }

        /** Not taken; {@code reason} is kept and shown, and must not hold the number (it is masked anyway). */
        record Failed(String reason) implements Delivery {
        }
    }
}
