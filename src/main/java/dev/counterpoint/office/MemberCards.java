package dev.counterpoint.office;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * A card number at head office. Terminals draw card numbers at random and check them against the members they know,
 * so two stores offline (or a store sending a forged enrolment) can give out the same number. Such a card names no
 * member alone: what an owner does by card (a look-up, an access export, an erasure) is refused for it rather than done
 * to whichever member comes first.
 */
public final class MemberCards {
    private MemberCards() {}

    /** The members holding this card, each as its survivor after a merge. */
    public static List<UUID> holders(Handle h, String card) {
        return h.createQuery("SELECT DISTINCT COALESCE(survivor_id, id) FROM member WHERE card_code = :c ORDER BY 1")
                .bind("c", card).mapTo(UUID.class).list();
    }

    /** The one member holding this card (its survivor after a merge), empty when none; 409 when several hold it. */
    public static Optional<UUID> holder(Handle h, String card) {
        List<UUID> found = holders(h, card);
        if (found.size() > 1) {
            throw new OfficeException(409, "card " + card + " is held by " + found.size() + " members at head office ("
                    + found.stream().map(UUID::toString).collect(Collectors.joining(", "))
                    + "): it names none of them alone");
        }
        return found.stream().findFirst();
    }
}
