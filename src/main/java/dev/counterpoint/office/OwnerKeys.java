package dev.counterpoint.office;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The owner API's keys (tables {@code owner_key}, {@code owner_key_use}). Each key has a name (who or what holds it),
 * the scopes it may use, and an expiry; it is revoked by name, and every request made with it is recorded with its
 * answer. Only a key's SHA-256 hash is kept: a key is shown once, when it is made.
 */
public final class OwnerKeys {
    /** What a key may do. */
    public enum Scope {
        /** Members, exceptions, terminals, a member's data export. */
        READ,
        /** Issue and void coupons. */
        COUPONS,
        /** Publish rule sets. */
        RULES,
        /** Erase a member's personal data. */
        ERASE,
        /** Add and change staff accounts. */
        STAFF,
        /** Add and remove members' custom tags. */
        TAGS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Scopes from a comma-separated list ("read,coupons"); an unknown name is an error naming it. */
        public static Set<Scope> parse(String list) {
            Set<Scope> out = EnumSet.noneOf(Scope.class);
            for (String part : list.split(",")) {
                String p = part.strip().toUpperCase(Locale.ROOT);
                if (p.isEmpty()) {
                    continue;
                }
                try {
                    out.add(Scope.valueOf(p));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown scope '" + part.strip() + "'; scopes are "
                            + Arrays.stream(values()).map(Scope::wire).collect(Collectors.joining(", ")));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("name at least one scope");
            }
            return out;
        }

        static String format(Set<Scope> scopes) {
            return scopes.stream().map(Scope::wire).collect(Collectors.joining(","));
        }
    }

    /** A key in use: who holds it and what it may do. */
    public record Caller(long id, String name, Set<Scope> scopes) {
        public boolean may(Scope scope) {
            return scopes.contains(scope);
        }
    }

    /** A key as listed (never the key itself). */
    public record Listed(String name, Set<Scope> scopes, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                         OffsetDateTime revokedAt, OffsetDateTime lastUsedAt, long uses) {
    }

    static final String NAME_PATTERN = "[A-Za-z0-9_.@-]{1,40}";
    public static final Duration MAX_VALIDITY = Duration.ofDays(3 * 365);

    private final Jdbi jdbi;
    private final Clock clock;

    public OwnerKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Makes a key and returns it (shown once). A key with the same name that is still in force is revoked: making
     * a key again under a name replaces it.
     */
    public String create(String name, Set<Scope> scopes, Duration validity) {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("a key's name is 1-40 letters, digits, '.', '_', '@' or '-'");
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("a key is valid for 1 day to " + MAX_VALIDITY.toDays() + " days");
        }
        String key = Secrets.credential("cpo1.");
        OffsetDateTime now = now();
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE owner_key SET revoked_at = :now WHERE name = :n AND revoked_at IS NULL")
                    .bind("now", now).bind("n", name).execute();
            h.createUpdate("""
                    INSERT INTO owner_key(name, key_hash, scopes, created_at, expires_at)
                    VALUES (:n, :hash, :scopes, :now, :expires)""")
                    .bind("n", name).bind("hash", Secrets.hash(key)).bind("scopes", Scope.format(scopes))
                    .bind("now", now).bind("expires", now.plus(validity)).execute();
        });
        return key;
    }

    /** The caller a presented key stands for: known, not revoked, not expired. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 200) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT id, name, scopes FROM owner_key
                WHERE key_hash = :hash AND revoked_at IS NULL AND expires_at > :now""")
                .bind("hash", Secrets.hash(presented.strip())).bind("now", now())
                .map((rs, ctx) -> new Caller(rs.getLong(1), rs.getString(2), Scope.parse(rs.getString(3))))
                .findOne());
    }

    /** Revokes every key in force under the name; false if there was none. */
    public boolean revoke(String name) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE owner_key SET revoked_at = :now WHERE name = :n AND revoked_at IS NULL")
                .bind("now", now()).bind("n", name).execute()) > 0;
    }

    /** Every key ever made, newest first, with how often it was used. */
    public List<Listed> list() {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT k.name, k.scopes, k.created_at, k.expires_at, k.revoked_at, k.last_used_at,
                       (SELECT COUNT(*) FROM owner_key_use u WHERE u.key_id = k.id)
                FROM owner_key k ORDER BY k.created_at DESC, k.id DESC""")
                .map((rs, ctx) -> new Listed(rs.getString(1), Scope.parse(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class),
                        rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class), rs.getLong(7)))
                .list());
    }

    /** Records one request made with a key, with head office's answer. */
    public void recordUse(Caller caller, String address, String method, String path, int status) {
        OffsetDateTime now = now();
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO owner_key_use(key_id, used_at, address, method, path, status)
                    VALUES (:k, :at, :address, :method, :path, :status)""")
                    .bind("k", caller.id()).bind("at", now).bind("address", cut(address, 64))
                    .bind("method", cut(method, 10)).bind("path", cut(path, 300)).bind("status", status).execute();
            h.createUpdate("UPDATE owner_key SET last_used_at = :at WHERE id = :k").bind("at", now).bind("k", caller.id())
                    .execute();
        });
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
