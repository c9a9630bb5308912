package dev.counterpoint.audit;

/** The sensitive actions the audit log records; the name is the entry's {@code action}. */
public enum AuditAction {
    CHECKOUT_VOIDED, CHECKOUT_REFUNDED, COUPON_ISSUED_BY_MANAGER, COUPON_VOIDED, RULES_CHANGED, PIN_CHANGED,
    STAFF_ADDED, STAFF_LOCKED, BALANCE_ADJUSTED, MEMBER_ERASED, MEMBERS_EXPORTED, DAY_CLOSED, MEMBER_TAGGED
}
