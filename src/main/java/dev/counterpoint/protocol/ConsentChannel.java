package dev.counterpoint.protocol;

/**
 * What a member consents to: the privacy notice (required to enrol at the counter) and marketing, per channel. The
 * names travel on the wire.
 */
public enum ConsentChannel {
    PRIVACY_NOTICE, MARKETING_SMS, MARKETING_WECHAT;

    /** The channel's name in JSON field names and in member-edit flags: {@code marketing_sms}. */
    public String fieldName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean marketing() {
        return this != PRIVACY_NOTICE;
    }
}
