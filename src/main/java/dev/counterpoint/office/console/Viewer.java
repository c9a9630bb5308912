package dev.counterpoint.office.console;

import java.util.Locale;

/**
 * Someone signed in to the console. An owner sees every store; a store's manager sees that store only, on every page,
 * export and API route: {@link #maySee(String)} is the one check they all make.
 */
public record Viewer(long userId, String username, Role role, String storeId) {
    public enum Role {
        OWNER, MANAGER;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "owner" or "manager", any case; anything else is an error naming the choices. */
        public static Role parse(String text) {
            if (text != null) {
                for (Role r : values()) {
                    if (r.wire().equalsIgnoreCase(text.strip())) {
                        return r;
                    }
                }
            }
            throw new IllegalArgumentException("role must be owner or manager, not " + text);
        }
    }

    public boolean isOwner() {
        return role == Role.OWNER;
    }

    /** Whether this viewer may see what belongs to {@code store}: every store for an owner, their own for a manager. */
    public boolean maySee(String store) {
        return isOwner() || storeId.equals(store);
    }
}
