package dev.counterpoint.office;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Terminals and their credentials. A manager adds a terminal and gets a one-time code; the terminal
 * exchanges it for its own credential. Only hashes of codes and credentials are kept.
 */
public final class Registrations {
    static final Duration CODE_LIFETIME = Duration.ofDays(7);
    private static final String ID_PATTERN = "[A-Za-z0-9_.-]{1,32}";
    private static final String PHONE_KEY = "phone_key";

    private final Jdbi jdbi;
    private final Clock clock;
    private final SettingSeal seal;

    public Registrations(Jdbi jdbi, Clock clock, SettingSeal seal) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.seal = seal;
    }

    /** The registrations of this office database, its secret settings sealed under its key. */
    public Registrations(OfficeDatabase db, Clock clock) {
        this(db.jdbi(), clock, db.settingSeal());
    }

    /** What a freshly registered terminal receives. */
    public record Credential(String storeId, String terminalId, String credential, String phoneKeyHex) {
    }

    /** Adds (or re-arms) a terminal and returns its one-time registration code. */
    public String addTerminal(String storeId, String terminalId) {
        if (!storeId.matches(ID_PATTERN) || !terminalId.matches(ID_PATTERN)) {
            throw new IllegalArgumentException("store and terminal ids are 1-32 letters, digits, '.', '_' or '-'");
        }
        String code = Secrets.registrationCode();
        OffsetDateTime now = now();
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("""
                    UPDATE terminal SET status = 'PENDING', code_hash = :code, code_expires_at = :expires,
                           credential_hash = NULL, revoked_at = NULL
                    WHERE store_id = :s AND terminal_id = :t""")
                    .bind("code", Secrets.hash(Secrets.normaliseCode(code))).bind("expires", now.plus(CODE_LIFETIME))
                    .bind("s", storeId).bind("t", terminalId).execute();
            if (updated == 0) {
                h.createUpdate("""
                        INSERT INTO terminal(store_id, terminal_id, status, code_hash, code_expires_at, created_at)
                        VALUES (:s, :t, 'PENDING', :code, :expires, :now)""")
                        .bind("s", storeId).bind("t", terminalId).bind("code", Secrets.hash(Secrets.normaliseCode(code)))
                        .bind("expires", now.plus(CODE_LIFETIME)).bind("now", now).execute();
            }
        });
        return code;
    }

    /** Revokes a terminal: its credential stops working at once. False if there is no such terminal. */
    public boolean revoke(String storeId, String terminalId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE terminal SET status = 'REVOKED', revoked_at = :now, code_hash = NULL
                WHERE store_id = :s AND terminal_id = :t""")
                .bind("now", now()).bind("s", storeId).bind("t", terminalId).execute() == 1);
    }

    /** Exchanges a one-time code for the terminal's credential; the code is spent either way. */
    public Credential register(String code) {
        String hash = Secrets.hash(Secrets.normaliseCode(code == null ? "" : code));
        String credential = Secrets.credential("cpt1.");
        OffsetDateTime now = now();
        return jdbi.inTransaction(h -> {
            record Pending(String store, String terminal, OffsetDateTime expires) {
            }
            Pending row = h.createQuery("""
                    SELECT store_id, terminal_id, code_expires_at FROM terminal
                    WHERE code_hash = :hash AND status = 'PENDING' FOR UPDATE""")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new Pending(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)))
                    .findOne()
                    .orElseThrow(() -> new OfficeException(403, "unknown or already used registration code"));
            String store = row.store();
            String terminal = row.terminal();
            if (row.expires().isBefore(now)) {
                throw new OfficeException(403, "registration code expired; ask head office for a new one");
            }
            h.createUpdate("""
                    UPDATE terminal SET status = 'ACTIVE', code_hash = NULL, credential_hash = :cred, registered_at = :now
                    WHERE store_id = :s AND terminal_id = :t""")
                    .bind("cred", Secrets.hash(credential)).bind("now", now).bind("s", store).bind("t", terminal).execute();
            return new Credential(store, terminal, credential, phoneKey(h, seal));
        });
    }

    /** The terminal a credential belongs to, if it is active. */
    public Optional<TerminalIdentity> authenticate(String credential) {
        if (credential == null || credential.isBlank()) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT store_id, terminal_id FROM terminal WHERE credential_hash = :hash AND status = 'ACTIVE'""")
                .bind("hash", Secrets.hash(credential.strip()))
                .map((rs, ctx) -> new TerminalIdentity(rs.getString("store_id"), rs.getString("terminal_id")))
                .findOne());
    }

    /** The chain's phone key (hexadecimal), made if there is none yet. */
    public String chainPhoneKey() {
        return jdbi.inTransaction(h -> phoneKey(h, seal));
    }

    /**
     * The chain-wide phone key (decision: chain phone key): made once, handed to each terminal at registration,
     * so the same phone hashes alike at every store and duplicates can be found. Kept sealed under the office's key
     * (decision 0040); one kept in the clear by an earlier version is sealed here.
     */
    static String phoneKey(org.jdbi.v3.core.Handle h, SettingSeal seal) {
        Optional<String> key = storedPhoneKey(h);
        if (key.isPresent() && SettingSeal.isSealed(key.get())) {
            return seal.unseal(PHONE_KEY, key.get());
        }
        h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
        key = storedPhoneKey(h);
        if (key.isPresent() && SettingSeal.isSealed(key.get())) {
            return seal.unseal(PHONE_KEY, key.get());
        }
        String plain = key.orElseGet(() -> HexFormat.of().formatHex(Secrets.key()));
        OfficeSettings.delete(h, PHONE_KEY);
        OfficeSettings.insert(h, PHONE_KEY, seal.seal(PHONE_KEY, plain));
        return plain;
    }

    /** Seals a phone key an earlier version kept in the clear, at once rather than at the next registration. */
    static void sealPlainPhoneKey(Jdbi jdbi, SettingSeal seal) {
        boolean plain = jdbi.withHandle(h -> storedPhoneKey(h).map(v -> !SettingSeal.isSealed(v)).orElse(false));
        if (plain) {
            jdbi.useTransaction(h -> phoneKey(h, seal));
        }
    }

    private static Optional<String> storedPhoneKey(org.jdbi.v3.core.Handle h) {
        return OfficeSettings.find(h, PHONE_KEY);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
