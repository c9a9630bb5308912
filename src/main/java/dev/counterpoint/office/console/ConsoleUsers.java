package dev.counterpoint.office.console;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's accounts (table {@code console_user}): made, removed and given a new password with {@code office
 * add-user}, {@code remove-user} and {@code passwd}; checked at sign-in. Five wrong passwords in a row lock an account
 * for fifteen minutes, during which the right one is refused too; each lock is logged and recorded.
 */
public final class ConsoleUsers {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleUsers.class);
    static final String NAME_PATTERN = "[A-Za-z0-9_.@-]{1,40}";
    static final String STORE_PATTERN = "[A-Za-z0-9_.-]{1,32}";
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 200;
    static final int FAILURES_BEFORE_LOCK = 5;
    static final Duration LOCK = Duration.ofMinutes(15);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ConsoleAudit audit;

    public ConsoleUsers(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.audit = new ConsoleAudit(jdbi, clock);
    }

    /** An account as listed (never its hash). */
    public record Account(String username, Viewer.Role role, String storeId, OffsetDateTime createdAt,
                          OffsetDateTime lastLoginAt, OffsetDateTime lockedUntil) {
    }

    /** The outcome of a sign-in. */
    public sealed interface SignIn permits Accepted, Refused, Locked {
    }

    public record Accepted(Viewer viewer) implements SignIn {
    }

    /** Wrong name or password (the two are not told apart). */
    public record Refused() implements SignIn {
    }

    /** Locked until {@code until}: too many wrong passwords in a row. */
    public record Locked(OffsetDateTime until) implements SignIn {
    }

    /**
     * Adds an account. A manager serves one store ({@code storeId} required); an owner every store (none given).
     * Refused with a message naming the problem: a bad name or store, a name taken, a password too short or long.
     */
    public void add(String username, Viewer.Role role, String storeId, String password) {
        checkName(username);
        if (role == Viewer.Role.MANAGER && (storeId == null || !storeId.matches(STORE_PATTERN))) {
            throw new IllegalArgumentException("a manager serves one store: give --store S (1-32 letters, digits, '.', '_' or '-')");
        }
        if (role == Viewer.Role.OWNER && storeId != null) {
            throw new IllegalArgumentException("an owner sees every store: leave out --store");
        }
        checkPassword(username, password);
        String hash = PasswordHash.hash(password);
        OffsetDateTime now = now();
        jdbi.useTransaction(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM console_user WHERE username = :u").bind("u", username)
                    .mapTo(Integer.class).one() > 0) {
                throw new IllegalArgumentException("there is already an account named " + username
                        + " (office passwd " + username + " gives it a new password)");
            }
            h.createUpdate("""
                    INSERT INTO console_user(username, role, store_id, password_hash, created_at, password_changed_at)
                    VALUES (:u, :r, :s, :h, :now, :now)""")
                    .bind("u", username).bind("r", role.name()).bind("s", storeId).bind("h", hash).bind("now", now).execute();
            audit.record(h, null, null, "USER_ADDED", username, role.wire() + (storeId == null ? "" : " of " + storeId));
        });
    }

    /** Removes an account and ends its sessions. False if there is none of that name. */
    public boolean remove(String username) {
        return jdbi.inTransaction(h -> {
            Optional<Long> id = h.createQuery("SELECT id FROM console_user WHERE username = :u").bind("u", username)
                    .mapTo(Long.class).findOne();
            if (id.isEmpty()) {
                return false;
            }
            h.createUpdate("DELETE FROM console_session WHERE user_id = :id").bind("id", id.get()).execute();
            h.createUpdate("DELETE FROM console_user WHERE id = :id").bind("id", id.get()).execute();
            audit.record(h, null, null, "USER_REMOVED", username, null);
            return true;
        });
    }

    /**
     * Gives an account a new password: its sessions end (a browser signed in with the old one is signed out) and a
     * lock is lifted. False if there is no account of that name.
     */
    public boolean changePassword(String username, String password) {
        checkPassword(username, password);
        String hash = PasswordHash.hash(password);
        OffsetDateTime now = now();
        return jdbi.inTransaction(h -> {
            Optional<Long> id = h.createQuery("SELECT id FROM console_user WHERE username = :u").bind("u", username)
                    .mapTo(Long.class).findOne();
            if (id.isEmpty()) {
                return false;
            }
            h.createUpdate("""
                    UPDATE console_user SET password_hash = :h, password_changed_at = :now, failed_logins = 0, locked_until = NULL
                    WHERE id = :id""").bind("h", hash).bind("now", now).bind("id", id.get()).execute();
            h.createUpdate("DELETE FROM console_session WHERE user_id = :id").bind("id", id.get()).execute();
            audit.record(h, null, null, "PASSWORD_CHANGED", username, null);
            return true;
        });
    }

    public List<Account> list() {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT username, role, store_id, created_at, last_login_at, locked_until FROM console_user ORDER BY username""")
                .map((rs, ctx) -> new Account(rs.getString(1), Viewer.Role.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class),
                        rs.getObject(6, OffsetDateTime.class))).list());
    }

    /**
     * Checks a sign-in. A name with no account takes as long as a wrong password. A wrong password counts against
     * the account; the fifth in a row locks it. While locked, every password is refused without being checked.
     */
    public SignIn signIn(String username, String password, String address) {
        if (username == null || password == null || !username.matches(NAME_PATTERN) || password.length() > MAX_PASSWORD) {
            PasswordHash.decoy(password == null ? "" : password.substring(0, Math.min(password.length(), MAX_PASSWORD)));
            return new Refused();
        }
        record Row(long id, Viewer.Role role, String store, String hash, int failures, OffsetDateTime lockedUntil) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("""
                SELECT id, role, store_id, password_hash, failed_logins, locked_until FROM console_user WHERE username = :u""")
                .bind("u", username)
                .map((rs, ctx) -> new Row(rs.getLong(1), Viewer.Role.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getObject(6, OffsetDateTime.class))).findOne());
        OffsetDateTime now = now();
        if (row.isEmpty()) {
            PasswordHash.decoy(password);
            audit.record(username, address, "SIGN_IN_REFUSED", username, "no such account");
            return new Refused();
        }
        Row r = row.get();
        if (r.lockedUntil() != null && r.lockedUntil().isAfter(now)) {
            audit.record(username, address, "SIGN_IN_REFUSED", username, "locked");
            return new Locked(r.lockedUntil());
        }
        if (!PasswordHash.verify(password, r.hash())) {
            return jdbi.inTransaction(h -> {
                int failures = h.createQuery("SELECT failed_logins FROM console_user WHERE id = :id FOR UPDATE")
                        .bind("id", r.id()).mapTo(Integer.class).one() + 1;
                if (failures >= FAILURES_BEFORE_LOCK) {
                    OffsetDateTime until = now.plus(LOCK);
                    h.createUpdate("UPDATE console_user SET failed_logins = 0, locked_until = :until WHERE id = :id")
                            .bind("until", until).bind("id", r.id()).execute();
                    LOG.warn("console account {} locked until {}: {} wrong passwords in a row, the last from {}", username,
                            until, FAILURES_BEFORE_LOCK, address);
                    audit.record(h, username, address, "ACCOUNT_LOCKED", username, FAILURES_BEFORE_LOCK + " wrong passwords");
                    return (SignIn) new Locked(until);
                }
                h.createUpdate("UPDATE console_user SET failed_logins = :f WHERE id = :id").bind("f", failures)
                        .bind("id", r.id()).execute();
                audit.record(h, username, address, "SIGN_IN_REFUSED", username, "wrong password");
                return new Refused();
            });
        }
        String rehash = PasswordHash.outdated(r.hash()) ? PasswordHash.hash(password) : null;
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE console_user SET failed_logins = 0, locked_until = NULL, last_login_at = :now"
                            + (rehash == null ? "" : ", password_hash = :h") + " WHERE id = :id")
                    .bind("now", now).bind("id", r.id()).bind("h", rehash).execute();
            audit.record(h, username, address, "SIGNED_IN", username, null);
        });
        return new Accepted(new Viewer(r.id(), username, r.role(), r.store()));
    }

    static void checkName(String username) {
        if (username == null || !username.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("a user name is 1-40 letters, digits, '.', '_', '@' or '-'");
        }
    }

    static void checkPassword(String username, String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password was given on standard input");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
            throw new IllegalArgumentException("a password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        if (password.equalsIgnoreCase(username)) {
            throw new IllegalArgumentException("a password may not be the user name");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a password holds no control characters");
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
