package dev.counterpoint.office;

import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.Verdict;
import dev.counterpoint.staff.PinHash;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Staff accounts at head office: the latest change of each by (HLC, event id) is kept and sent to the stores it serves
 * (its store's terminals, or every store for an account with no store). A store speaks only for its own accounts; the
 * owner adds any ({@code POST /v1/staff}).
 */
final class OfficeStaff {
    private OfficeStaff() {}

    /** The store an account serves at head office, if the account is known (empty Optional inside: every store). */
    static Optional<Optional<String>> storeOf(Handle h, String staffId) {
        return h.createQuery("SELECT store_id FROM staff WHERE id = :id").bind("id", staffId)
                .map((rs, ctx) -> Optional.ofNullable(rs.getString(1))).findOne();
    }

    /** The role of an account known at head office for the given store (or every store). */
    static Optional<StaffRole> roleAt(Handle h, String staffId, String storeId) {
        return h.createQuery("SELECT role FROM staff WHERE id = :id AND active AND (store_id IS NULL OR store_id = :s)")
                .bind("id", staffId).bind("s", storeId).mapTo(String.class).findOne().map(StaffRole::valueOf);
    }

    /** A store's account, checked first ({@link EventChecks}): its own store's, an id no other store uses. */
    static void check(Handle h, TerminalIdentity who, Event.StaffAccount a) {
        if (a.storeId() == null || !a.storeId().equals(who.storeId())) {
            throw new Projector.Unusable("staff " + a.staffId() + ": store_id " + a.storeId() + " is not the sender's store "
                    + who.storeId());
        }
        Optional<Optional<String>> held = storeOf(h, a.staffId());
        if (held.isPresent() && !held.get().equals(Optional.of(who.storeId()))) {
            throw new Projector.Unusable("staff id " + a.staffId() + " belongs to " + held.get().orElse("every store"));
        }
        if (!PinHash.readable(a.pinHash())) {
            throw new Projector.Unusable("staff " + a.staffId() + ": pin_hash is not a PIN hash this chain uses");
        }
    }

    static Verdict apply(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.StaffAccount a) {
        save(h, feed, who, a, e.hlc(), e.eventId());
        return Verdict.ACCEPTED;
    }

    /** Keeps the account if it is the latest change of it, and sends it to the stores it serves. */
    static boolean save(Handle h, FeedWriter feed, TerminalIdentity origin, Event.StaffAccount a, long hlc,
                        java.util.UUID eventId) {
        record Stamp(long hlc, java.util.UUID eventId) {
        }
        Optional<Stamp> current = h.createQuery("SELECT hlc, event_id FROM staff WHERE id = :id").bind("id", a.staffId())
                .map((rs, ctx) -> new Stamp(rs.getLong(1), rs.getObject(2, java.util.UUID.class))).findOne();
        boolean newer = current.isEmpty() || hlc > current.get().hlc() || hlc == current.get().hlc()
                && eventId != null && (current.get().eventId() == null || eventId.compareTo(current.get().eventId()) > 0);
        if (!newer) {
            return false;
        }
        h.createUpdate("DELETE FROM staff WHERE id = :id").bind("id", a.staffId()).execute();
        h.createUpdate("""
                INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at, updated_by, hlc, event_id)
                VALUES (:id, :store, :name, :role, :hash, :active, :at, :by, :hlc, :event)""")
                .bind("id", a.staffId()).bind("store", a.storeId()).bind("name", a.name()).bind("role", a.role().name())
                .bind("hash", a.pinHash()).bind("active", a.active()).bind("at", a.updatedAt()).bind("by", a.updatedBy())
                .bind("hlc", hlc).bind("event", eventId).execute();
        Change.StaffAccount change = new Change.StaffAccount(a.staffId(), a.storeId(), a.name(), a.role(), a.pinHash(),
                a.active(), a.updatedAt(), a.updatedBy(), hlc);
        if (a.storeId() == null) {
            feed.append(change, origin);
        } else {
            feed.appendFor(a.storeId(), change, origin);
        }
        return true;
    }

}
