package dev.counterpoint.member;

/**
 * What a member agreed to when enrolling at the counter: the privacy notice (required to enrol there) and marketing by
 * SMS and by WeChat, each asked separately.
 */
public record EnrolmentConsent(boolean privacyNotice, boolean marketingSms, boolean marketingWechat) {
}
