package dev.counterpoint.history;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Which members' chain-wide records this store holds (table {@code chain_history}). Head office sends a member's
 * purchases and ledger entries only to the stores that keep the member (decision 0039): the home store, stores that
 * served the member, and stores that asked. Elsewhere the terminal holds at most its own part, so it must not show
 * that part as the member's balances or spend from it.
 */
public final class ChainHistory {
    /** {@link #marked} as a column of a statement that reads the member row {@code m}. */
    public static final String MARKED_MEMBER = "EXISTS(SELECT 1 FROM chain_history WHERE member_id = m.id)";

    private final String storeId;
    private final boolean inChain;

    /**
     * @param inChain registered with head office; a store that is not is its own chain and holds everything
     */
    public ChainHistory(String storeId, boolean inChain) {
        this.storeId = storeId;
        this.inChain = inChain;
    }

    /** Whether this store holds everything about the member, as every store keeping the member does. */
    public boolean held(Handle h, UUID memberId, String homeStore) {
        return !inChain || storeId.equals(homeStore) || marked(h, memberId);
    }

    /** As {@link #held(Handle, UUID, String)}, with {@link #marked} already read ({@link #MARKED_MEMBER}). */
    public boolean held(String homeStore, boolean marked) {
        return !inChain || storeId.equals(homeStore) || marked;
    }

    /** As {@link #held(Handle, UUID, String)}, reading the member's home store. */
    public boolean held(Handle h, UUID memberId) {
        if (!inChain) {
            return true;
        }
        String home = h.createQuery("SELECT home_store FROM member WHERE id = :m").bind("m", memberId)
                .mapTo(String.class).findOne().orElse(null);
        return held(h, memberId, home);
    }

    /** Whether the member's records were asked for, or came because this store served the member. */
    public static boolean marked(Handle h, UUID memberId) {
        return h.createQuery("SELECT COUNT(*) FROM chain_history WHERE member_id = :m").bind("m", memberId)
                .mapTo(Integer.class).one() > 0;
    }

    /** Records that head office's records of these members have all arrived here; unknown members are skipped. */
    public static void mark(Handle h, Collection<UUID> memberIds, OffsetDateTime since) {
        if (memberIds.isEmpty()) {
            return;
        }
        List<UUID> ids = List.copyOf(memberIds);
        for (int i = 0; i < ids.size(); i += 1000) {
            h.createUpdate("""
                    INSERT INTO chain_history(member_id, since)
                    SELECT m.id, :since FROM member m
                    WHERE m.id IN (<ids>) AND NOT EXISTS (SELECT 1 FROM chain_history c WHERE c.member_id = m.id)""")
                    .bindList("ids", ids.subList(i, Math.min(ids.size(), i + 1000))).bind("since", since).execute();
        }
    }
}
