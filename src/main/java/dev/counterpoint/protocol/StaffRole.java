package dev.counterpoint.protocol;

/**
 * What a staff account may do: a cashier sells; a manager also approves (voids, refunds, manual coupons, rule changes,
 * erasure, close of day) and adds staff; an owner also adds managers and owners. Each role may do what the one before
 * it may. Part of the sync protocol: the names travel in events and changes.
 */
public enum StaffRole {
    CASHIER, MANAGER, OWNER;

    /** Whether this role may do what {@code needed} may. */
    public boolean atLeast(StaffRole needed) {
        return compareTo(needed) >= 0;
    }

    /** The bundle key of the role in words ("manager", "店长"): messages name a role so, never by its code. */
    public String messageKey() {
        return "staff.role." + name();
    }
}
