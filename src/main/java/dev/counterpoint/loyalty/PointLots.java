package dev.counterpoint.loyalty;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What is left of each lot, worked out from the ledger alone. Positive entries open lots; a negative entry
 * that names a lot (spends and expiries do) takes from that lot; one that names none (older entries) takes
 * from the lots that expire first. Pure, so the ledger always explains the balance.
 */
public final class PointLots {
    private PointLots() {}

    /** One ledger entry as the replay needs it; entries come in the order they were written. */
    public record Entry(UUID id, long delta, LocalDate lotExpiresOn, UUID refId) {
    }

    /** A lot and what is left of it; {@code expiresOn} null means it never expires. */
    public record Lot(UUID id, long original, long remaining, LocalDate expiresOn) {
        public boolean expiredOn(LocalDate day) {
            return expiresOn != null && day.isAfter(expiresOn);
        }
    }

    /** Oldest first: the lot that expires first is spent first; lots that never expire last. */
    public static final Comparator<Lot> SPEND_ORDER = Comparator.comparing(Lot::expiresOn,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Lot::id);

    public static List<Lot> replay(List<Entry> entries) {
        Map<UUID, long[]> remaining = new HashMap<>();
        List<Lot> lots = new ArrayList<>();
        for (Entry e : entries) {
            if (e.delta() > 0) {
                remaining.put(e.id(), new long[] {e.delta()});
                lots.add(new Lot(e.id(), e.delta(), 0, e.lotExpiresOn()));
            } else if (e.delta() < 0) {
                long[] named = e.refId() == null ? null : remaining.get(e.refId());
                if (named != null) {
                    named[0] += e.delta();
                } else {
                    long left = -e.delta();
                    for (Lot lot : lots.stream().sorted(SPEND_ORDER).toList()) {
                        long[] r = remaining.get(lot.id());
                        long take = Math.min(left, r[0]);
                        r[0] -= take;
                        left -= take;
                        if (left == 0) {
                            break;
                        }
                    }
                }
            }
        }
        return lots.stream().map(l -> new Lot(l.id(), l.original(), remaining.get(l.id())[0], l.expiresOn()))
                .filter(l -> l.remaining() > 0).sorted(SPEND_ORDER).toList();
    }

    /** Points that can still be spent on {@code day}. */
    public static long usable(List<Lot> lots, LocalDate day) {
        return lots.stream().filter(l -> !l.expiredOn(day)).mapToLong(Lot::remaining).sum();
    }

    /** The lots {@code points} would be taken from on {@code day}, oldest first: lot id → points taken. */
    public static List<Map.Entry<Lot, Long>> allocate(List<Lot> lots, long points, LocalDate day) {
        List<Map.Entry<Lot, Long>> out = new ArrayList<>();
        long left = points;
        for (Lot lot : lots) {
            if (left == 0) {
                break;
            }
            if (!lot.expiredOn(day)) {
                long take = Math.min(left, lot.remaining());
                out.add(Map.entry(lot, take));
                left -= take;
            }
        }
        if (left > 0) {
            throw new IllegalArgumentException("not enough usable points");
        }
        return out;
    }

    /** The next expiry within {@code days} of {@code today}: the date and how many points go then. */
    public static Optional<Expiring> nextExpiring(List<Lot> lots, LocalDate today, int days) {
        LocalDate limit = today.plusDays(days);
        Optional<LocalDate> next = lots.stream().map(Lot::expiresOn)
                .filter(d -> d != null && !d.isBefore(today) && !d.isAfter(limit)).min(Comparator.naturalOrder());
        return next.map(d -> new Expiring(lots.stream().filter(l -> d.equals(l.expiresOn())).mapToLong(Lot::remaining).sum(), d));
    }

    /** Points that expire after {@code expiresOn} (the last day they can be spent). */
    public record Expiring(long points, LocalDate expiresOn) {
    }
}
