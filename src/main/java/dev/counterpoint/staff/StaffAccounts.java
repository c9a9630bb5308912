package dev.counterpoint.staff;

import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.shared.TextInput;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Outbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff accounts at this terminal: cashiers, managers and owners, each with a PIN of their own kept as a slow salted
 * hash ({@link PinHash}) in the terminal's database. A PIN checked wrongly {@value #MAX_FAILURES} times in a row locks the
 * account here for {@link #LOCK}, logged and recorded in the audit log. Accounts come down from head office
 * ({@code staff.account}) and a store's managers add their own, offline too (an event up).
 */
public final class StaffAccounts {
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCK = Duration.ofMinutes(5);
    /** The old single manager PIN's file in the data dir: made into the account {@value #LEGACY_ID} at the first open. */
    public static final String LEGACY_PIN_FILE = "manager-pin";
    public static final String LEGACY_ID = "manager";
    private static final Logger LOG = LoggerFactory.getLogger(StaffAccounts.class);

    private final Jdbi jdbi;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;

    public StaffAccounts(Jdbi jdbi, Outbox outbox, AuditLog audit, Hlc hlc, Clock clock, String storeId) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.audit = audit;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
    }

    /** Whether this terminal holds any staff account. */
    public boolean any() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM staff").mapTo(Integer.class).one() > 0);
    }

    public List<StaffAccount> list() {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT id, store_id, name, role, active, failed_attempts, locked_until FROM staff ORDER BY id""")
                .map((rs, ctx) -> new StaffAccount(rs.getString(1), rs.getString(2), rs.getString(3),
                        StaffRole.valueOf(rs.getString(4)), rs.getBoolean(5), rs.getInt(6),
                        rs.getObject(7, OffsetDateTime.class)))
                .list());
    }

    public Optional<StaffAccount> find(String id) {
        return list().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /**
     * The store's first account, which needs no one's approval: a manager (there is no one yet to approve it). Refused
     * once any account exists.
     */
    public Staff addFirst(String id, String name, StaffRole role, String newPin) {
        checkNew(id, name, newPin);
        if (role != StaffRole.MANAGER) {
            throw new BusinessRuleException("staff.error.firstManager");
        }
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT id FROM audit_head WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
            if (h.createQuery("SELECT COUNT(*) FROM staff").mapTo(Integer.class).one() > 0) {
                throw new BusinessRuleException("staff.error.needsApproval");
            }
            return insert(h, id, name, role, newPin, null);
        });
    }

    /**
     * A manager adds an account for this store: a cashier or a manager; only an owner adds an owner.
     *
     * @param by the approving manager, whose PIN was just checked
     */
    public Staff add(Staff by, String id, String name, StaffRole role, String newPin) {
        checkNew(id, name, newPin);
        if (!by.may(StaffRole.MANAGER) || role == StaffRole.OWNER && !by.may(StaffRole.OWNER)) {
            StaffRole needed = role == StaffRole.OWNER ? StaffRole.OWNER : StaffRole.MANAGER;
            throw new BusinessRuleException("staff.error.role", by.id(), new UserMessage(needed.messageKey()));
        }
        return jdbi.inTransaction(h -> insert(h, id, name, role, newPin, by.id()));
    }

    private Staff insert(Handle h, String id, String name, StaffRole role, String newPin, String by) {
        if (h.createQuery("SELECT COUNT(*) FROM staff WHERE id = :id").bind("id", id).mapTo(Integer.class).one() > 0) {
            throw new BusinessRuleException("staff.error.exists", id);
        }
        String hash = PinHash.hash(newPin);
        OffsetDateTime now = now();
        long stamp = hlc.now();
        h.createUpdate("""
                INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at, updated_by, hlc)
                VALUES (:id, :store, :name, :role, :hash, TRUE, :at, :by, :hlc)""")
                .bind("id", id).bind("store", storeId).bind("name", name).bind("role", role.name()).bind("hash", hash)
                .bind("at", now).bind("by", by).bind("hlc", stamp).execute();
        outbox.append(h, new Event.StaffAccount(id, storeId, name, role, hash, true, now, by));
        audit.append(h, by, AuditAction.STAFF_ADDED, id, Map.of("name", name, "role", role.name()));
        return new Staff(id, name, role);
    }

    private static void checkNew(String id, String name, String newPin) {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new BusinessRuleException("staff.error.badId", String.valueOf(id));
        }
        if (name == null || name.isBlank()) {
            throw new BusinessRuleException("staff.error.nameRequired");
        }
        TextInput.check("--name", name, 100);
        if (!PinHash.wellFormed(newPin)) {
            throw new BusinessRuleException("staff.error.pinFormat");
        }
    }

    /** Checks a PIN and the role it needs; see {@link #authenticate(String, String)}. */
    public Staff authenticate(String id, String pin, StaffRole needed) {
        Staff s = authenticate(id, pin);
        if (!s.may(needed)) {
            throw new BusinessRuleException("staff.error.role", id, new UserMessage(needed.messageKey()));
        }
        return s;
    }

    /**
     * Checks a member of staff's PIN. Refused (nothing else written) for an unknown or inactive account, a locked one,
     * or a wrong PIN; a wrong PIN is counted, and the {@value #MAX_FAILURES}th in a row locks the account for
     * {@link #LOCK} (logged, and an audit entry). A right PIN clears the count; a hash made with fewer iterations than
     * today's is made again.
     */
    public Staff authenticate(String id, String pin) {
        record Row(String name, StaffRole role, String hash, boolean active, int failed, OffsetDateTime lockedUntil) {
        }
        Optional<Row> found = jdbi.withHandle(h -> h.createQuery("""
                SELECT name, role, pin_hash, active, failed_attempts, locked_until FROM staff WHERE id = :id""")
                .bind("id", id == null ? "" : id)
                .map((rs, ctx) -> new Row(rs.getString(1), StaffRole.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getBoolean(4), rs.getInt(5), rs.getObject(6, OffsetDateTime.class)))
                .findOne());
        if (found.isEmpty() || !found.get().active()) {
            throw new BusinessRuleException("staff.error.unknown", String.valueOf(id));
        }
        Row row = found.get();
        OffsetDateTime now = now();
        if (row.lockedUntil() != null && row.lockedUntil().isAfter(now)) {
            throw new BusinessRuleException("staff.error.locked", id, minutesLeft(now, row.lockedUntil()));
        }
        if (PinHash.matches(pin, row.hash())) {
            jdbi.useTransaction(h -> {
                h.createUpdate("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = :id").bind("id", id).execute();
                if (PinHash.weak(row.hash())) {
                    rehash(h, id, row.name(), row.role(), pin);
                }
            });
            return new Staff(id, row.name(), row.role());
        }
        int failures = jdbi.inTransaction(h -> {
            int n = h.createQuery("SELECT failed_attempts FROM staff WHERE id = :id FOR UPDATE").bind("id", id)
                    .mapTo(Integer.class).one() + 1;
            if (n >= MAX_FAILURES) {
                h.createUpdate("UPDATE staff SET failed_attempts = 0, locked_until = :until WHERE id = :id")
                        .bind("until", now.plus(LOCK)).bind("id", id).execute();
                audit.append(h, id, AuditAction.STAFF_LOCKED, id, Map.of("failures", Integer.toString(n),
                        "locked_until", now.plus(LOCK).toString()));
            } else {
                h.createUpdate("UPDATE staff SET failed_attempts = :n WHERE id = :id").bind("n", n).bind("id", id).execute();
            }
            return n;
        });
        if (failures >= MAX_FAILURES) {
            LOG.warn("staff account {} locked for {} min after {} wrong PINs", id, LOCK.toMinutes(), failures);
            throw new BusinessRuleException("staff.error.locked", id, LOCK.toMinutes());
        }
        LOG.info("wrong PIN for staff account {} ({} of {})", id, failures, MAX_FAILURES);
        throw new BusinessRuleException("staff.error.pinWrong", id, MAX_FAILURES - failures);
    }

    /** A member of staff changes their own PIN, giving the old one. */
    public void changePin(String id, String oldPin, String newPin) {
        if (!PinHash.wellFormed(newPin)) {
            throw new BusinessRuleException("staff.error.pinFormat");
        }
        Staff s = authenticate(id, oldPin);
        jdbi.useTransaction(h -> {
            rehash(h, id, s.name(), s.role(), newPin);
            audit.append(h, id, AuditAction.PIN_CHANGED, id, Map.of());
        });
    }

    private void rehash(Handle h, String id, String name, StaffRole role, String pin) {
        String hash = PinHash.hash(pin);
        OffsetDateTime now = now();
        String store = h.createQuery("SELECT store_id FROM staff WHERE id = :id").bind("id", id).mapTo(String.class).one();
        h.createUpdate("UPDATE staff SET pin_hash = :hash, updated_at = :at, updated_by = :id, hlc = :hlc WHERE id = :id")
                .bind("hash", hash).bind("at", now).bind("id", id).bind("hlc", hlc.now()).execute();
        outbox.append(h, new Event.StaffAccount(id, store, name, role, hash, true, now, id));
    }

    /**
     * An account as head office holds it (pulled): taken unless this terminal holds a later change of it (a PIN changed
     * here and not yet pushed). The count of wrong PINs and a lock are this terminal's own and stay.
     */
    public static void applyPulled(Handle h, Change.StaffAccount a) {
        Optional<Long> local = h.createQuery("SELECT hlc FROM staff WHERE id = :id").bind("id", a.staffId())
                .mapTo(Long.class).findOne();
        if (local.isPresent() && local.get() > a.hlc()) {
            return;
        }
        if (local.isPresent()) {
            h.createUpdate("""
                    UPDATE staff SET store_id = :store, name = :name, role = :role, pin_hash = :hash, active = :active,
                                     updated_at = :at, updated_by = :by, hlc = :hlc WHERE id = :id""")
                    .bind("store", a.storeId()).bind("name", a.name()).bind("role", a.role().name()).bind("hash", a.pinHash())
                    .bind("active", a.active()).bind("at", a.updatedAt()).bind("by", a.updatedBy()).bind("hlc", a.hlc())
                    .bind("id", a.staffId()).execute();
        } else {
            h.createUpdate("""
                    INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at, updated_by, hlc)
                    VALUES (:id, :store, :name, :role, :hash, :active, :at, :by, :hlc)""")
                    .bind("id", a.staffId()).bind("store", a.storeId()).bind("name", a.name()).bind("role", a.role().name())
                    .bind("hash", a.pinHash()).bind("active", a.active()).bind("at", a.updatedAt()).bind("by", a.updatedBy())
                    .bind("hlc", a.hlc()).execute();
        }
    }

    /**
     * The single manager PIN of earlier versions ({@value #LEGACY_PIN_FILE} in the data dir), if there is one, becomes the
     * manager account {@value #LEGACY_ID} with the same PIN (its hash is made stronger at its first use), and the file is
     * deleted. Returns whether an account was made.
     */
    public boolean convertLegacyPin(Path dataDir) {
        Path file = dataDir.resolve(LEGACY_PIN_FILE);
        if (!Files.exists(file)) {
            return false;
        }
        String hash;
        try {
            hash = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        boolean made = false;
        if (PinHash.readable(hash)) {
            made = jdbi.inTransaction(h -> {
                if (h.createQuery("SELECT COUNT(*) FROM staff WHERE id = :id").bind("id", LEGACY_ID).mapTo(Integer.class).one() > 0) {
                    return false;
                }
                OffsetDateTime now = now();
                h.createUpdate("""
                        INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at, updated_by, hlc)
                        VALUES (:id, :store, 'Manager', 'MANAGER', :hash, TRUE, :at, NULL, :hlc)""")
                        .bind("id", LEGACY_ID).bind("store", storeId).bind("hash", hash).bind("at", now).bind("hlc", hlc.now())
                        .execute();
                outbox.append(h, new Event.StaffAccount(LEGACY_ID, storeId, "Manager", StaffRole.MANAGER, hash, true, now, null));
                audit.append(h, null, AuditAction.STAFF_ADDED, LEGACY_ID,
                        Map.of("name", "Manager", "role", "MANAGER", "from", LEGACY_PIN_FILE));
                return true;
            });
            LOG.info("the manager PIN file became the manager account '{}'", LEGACY_ID);
        } else {
            LOG.warn("the manager PIN file {} is not one Counterpoint wrote; it is deleted and no account made from it", file);
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
        return made;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static long minutesLeft(OffsetDateTime now, OffsetDateTime until) {
        return Math.max(1, (Duration.between(now, until).toSeconds() + 59) / 60);
    }
}
