package dev.counterpoint.office.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Signed-in browsers (table {@code console_session}), kept in the database so that any head-office node serves any
 * request. The cookie carries 256 random bits; only their SHA-256 is stored. A session ends at sign-out, after
 * {@link #IDLE} without a request, after {@link #LIFETIME} in any case, and when the account's password is changed
 * or the account removed.
 */
public final class ConsoleSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LIFETIME = Duration.ofHours(12);
    /** A request extends the session; the database is written at most this often for it. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;

    public ConsoleSessions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A new session: the cookie's value (given to the browser once) and the session's CSRF token. */
    public record Started(String token, String csrf) {
    }

    /** A live session: who, and the token every form of it must carry. */
    public record Live(Viewer viewer, String csrf, String tokenHash) {
    }

    public Started start(Viewer viewer, String address) {
        String token = random();
        String csrf = random();
        OffsetDateTime now = now();
        jdbi.useTransaction(h -> {
            // Expired sessions go when someone signs in: the table holds only live ones and a few stale.
            h.createUpdate("DELETE FROM console_session WHERE expires_at <= :now OR last_seen_at <= :idle")
                    .bind("now", now).bind("idle", now.minus(IDLE)).execute();
            h.createUpdate("""
                    INSERT INTO console_session(token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, address)
                    VALUES (:t, :u, :c, :now, :now, :exp, :a)""")
                    .bind("t", hash(token)).bind("u", viewer.userId()).bind("c", csrf).bind("now", now)
                    .bind("exp", now.plus(LIFETIME)).bind("a", ConsoleAudit.cut(address, 64)).execute();
        });
        return new Started(token, csrf);
    }

    /** The live session a cookie stands for, extended by this request; empty when unknown, idle too long or expired. */
    public Optional<Live> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String tokenHash = hash(token);
        OffsetDateTime now = now();
        record Row(Live live, OffsetDateTime lastSeen) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("""
                SELECT u.id, u.username, u.role, u.store_id, s.csrf_token, s.last_seen_at FROM console_session s
                JOIN console_user u ON u.id = s.user_id
                WHERE s.token_hash = :t AND s.expires_at > :now AND s.last_seen_at > :idle""")
                .bind("t", tokenHash).bind("now", now).bind("idle", now.minus(IDLE))
                .map((rs, ctx) -> new Row(new Live(new Viewer(rs.getLong(1), rs.getString(2), Viewer.Role.valueOf(rs.getString(3)),
                        rs.getString(4)), rs.getString(5), tokenHash), rs.getObject(6, OffsetDateTime.class))).findOne());
        row.filter(r -> !r.lastSeen().plus(TOUCH_EVERY).isAfter(now)).ifPresent(r -> jdbi.useHandle(h ->
                h.createUpdate("UPDATE console_session SET last_seen_at = :now WHERE token_hash = :t")
                        .bind("now", now).bind("t", tokenHash).execute()));
        return row.map(Row::live);
    }

    /** Ends the session (sign-out). */
    public void end(String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_session WHERE token_hash = :t").bind("t", tokenHash).execute());
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Two tokens compared in a time that does not depend on where they differ. */
    static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
