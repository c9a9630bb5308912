package dev.counterpoint.staff;

import dev.counterpoint.protocol.StaffRole;

/**
 * A member of staff whose PIN was just checked: only {@link StaffAccounts} makes one, so an action that takes a
 * {@code Staff} was approved by that person (a checkout by its cashier, a refund by its manager).
 */
public final class Staff {
    private final String id;
    private final String name;
    private final StaffRole role;

    Staff(String id, String name, StaffRole role) {
        this.id = id;
        this.name = name;
        this.role = role;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public StaffRole role() {
        return role;
    }

    public boolean may(StaffRole needed) {
        return role.atLeast(needed);
    }

    @Override
    public String toString() {
        return id + " (" + role + ")";
    }
}
