package dev.counterpoint.office;

import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.protocol.Tier;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * One push transaction's writes still to be sent and what it has read, kept on its handle so that the projection's
 * helpers find them. A push of 500 sales used to run some fifteen statements and two savepoint commands per event;
 * most of its events now run none.
 *
 * <p><b>Batched, then row by row.</b> A push is first applied batched: rows for the high-volume tables (inbox, change
 * log, purchases, ledger entries, the stores keeping members) are queued and sent as one JDBC batch per statement,
 * before any statement that names their table, so every read sees every write before it, whoever wrote it; and events
 * take no savepoint. An
 * event rejected before it wrote anything (a failed check, an unknown member) just loses the rows it queued. Anything
 * else cannot be undone alone there: a row the database refuses in a batch cannot be told apart from its neighbours,
 * and an event that fails after writing would need a savepoint. Then the push is undone and applied again row by
 * row, as before batching: every row written as it comes, and each event that runs a statement under a savepoint of
 * its own, so that it is undone alone ({@link Redo}).
 *
 * <p><b>What the push knows.</b> Under its locks ({@link ChainLocks}) no other transaction changes the members it
 * names, the members those were merged into, or their exceptions, so what this transaction read stays true until it
 * changes it itself; those changes reach here through {@link #changed}
 * (head office changes a member only with the change that tells the stores) and {@link #settled}. The members a
 * batch names are read in one query; an event that fails forgets everything read, and it is read again.
 */
final class PushScope implements AutoCloseable {

    /** Where a handle keeps its scope: a Jdbi config is per handle, and a copy (a statement's) starts empty. */
    public static final class Slot implements JdbiConfig<Slot> {
        private PushScope scope;

        public Slot() {
        }

        @Override
        public Slot createCopy() {
            return new Slot();
        }
    }

    /** The batched push cannot be kept as it is: it is undone and applied again row by row. */
    static final class Redo extends RuntimeException {
        Redo(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Row(long seq, Object[] args) {
    }

    /**
     * The rows waiting for one insert statement, and the table it writes, by name as statements mention it. They are
     * sent {@link #ROWS_PER_INSERT} to a statement: on PostgreSQL a third faster than a batch of one-row inserts.
     */
    private static final class Waiting {
        private static final Pattern INSERT =
                Pattern.compile("(?is)^\\s*INSERT\\s+INTO\\s+(\\w+).*\\bVALUES\\s*(\\(.*\\))\\s*$");
        final String sql;
        final String manyRows;
        final Pattern mention;
        final List<Row> rows = new ArrayList<>();
        PreparedStatement one;
        PreparedStatement many;

        Waiting(String sql) {
            Matcher m = INSERT.matcher(sql);
            if (!m.find()) {
                throw new IllegalArgumentException("not an insert of one row: " + sql);
            }
            this.sql = sql;
            this.manyRows = sql.substring(0, m.start(2))
                    + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, m.group(2)));
            this.mention = Pattern.compile("(?i)\\b" + m.group(1) + "\\b");
        }
    }

    static final int ROWS_PER_INSERT = 50;

    private static final Pattern READ = Pattern.compile("(?i)^\\s*SELECT\\b");

    private final Handle h;
    private final boolean batched;
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private long nextRow;
    private boolean inEvent;
    /** The number of the current event's first row: rows numbered below it are earlier events'. */
    private long eventStart;
    /** Whether the current event has written anything to the database (batched: it must then be applied again). */
    private boolean eventWrote;
    /** Row by row: the current event's savepoint, taken before its first statement. */
    private Savepoint savepoint;
    private boolean sending;
    private boolean closed;

    private final Set<UUID> wanted = new LinkedHashSet<>();
    /** Member id to the member it stands for (empty: unknown at head office). */
    private final Map<UUID, Optional<UUID>> survivors = new HashMap<>();
    private final Map<UUID, Tier> tiers = new HashMap<>();
    /** Member id to its home store, as read with it (a member's home store never changes). */
    private final Map<UUID, String> homes = new HashMap<>();
    private final Map<UUID, Boolean> openOverdraft = new HashMap<>();
    /** Member id to whether its personal data was erased (an alias of an erased member is erased too). */
    private final Map<UUID, Boolean> erased = new HashMap<>();
    private final Set<UUID> decreased = new HashSet<>();
    /** Survivor to the stores keeping its records (see {@link MemberStores}). */
    private final Map<UUID, List<String>> memberStores = new HashMap<>();
    private final Map<Object, Object> memo = new HashMap<>();

    /** The members a push beside others locked; null when it runs alone (H2, or the chain lock held exclusively). */
    private Set<UUID> locked;

    private PushScope(Handle h, boolean batched) {
        this.h = h;
        this.batched = batched;
    }

    /** Opens the scope of a push transaction on {@code h}: batched, or row by row (see the class comment). */
    static PushScope open(Handle h, boolean batched) {
        PushScope scope = new PushScope(h, batched);
        h.getConfig(Slot.class).scope = scope;
        h.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
                if (!scope.closed) {
                    scope.beforeStatement(ctx.getRawSql());
                }
            }
        });
        return scope;
    }

    /** This push runs beside others, having locked {@code members} (see {@link ChainLocks}). */
    void lockedOnly(Set<UUID> members) {
        this.locked = Set.copyOf(members);
    }

    /**
     * Whether the transaction on {@code h} may change {@code member}: it runs alone, or it locked the member. A push
     * beside others may change only the members it locked.
     */
    static boolean mayChange(Handle h, UUID member) {
        return of(h).map(s -> s.locked == null || s.locked.contains(member)).orElse(true);
    }

    /** The scope of the push running on {@code h}, if any. */
    static Optional<PushScope> of(Handle h) {
        PushScope scope = h.getConfig(Slot.class).scope;
        return scope == null || scope.closed ? Optional.empty() : Optional.of(scope);
    }

    // ---- writes ----

    /** An insert ({@code INSERT INTO table(…) VALUES (?, …)}): queued in a batched push, else written at once. */
    static void insert(Handle h, String sql, Object... args) {
        Optional<PushScope> scope = of(h);
        if (scope.isPresent() && scope.get().batched) {
            PushScope s = scope.get();
            s.waiting.computeIfAbsent(sql, Waiting::new).rows.add(new Row(s.nextRow++, args));
        } else {
            h.execute(sql, args);
        }
    }

    void beginEvent() {
        inEvent = true;
        eventStart = nextRow;
        eventWrote = false;
        savepoint = null;
    }

    /** The event was applied: its savepoint, if it took one, is released. */
    void eventApplied() {
        inEvent = false;
        if (savepoint != null) {
            try {
                h.getConnection().releaseSavepoint(savepoint);
            } catch (SQLException e) {
                throw new Redo("cannot release a savepoint", e);
            }
            savepoint = null;
        }
    }

    /**
     * The event failed and is to be kept as rejected: what it wrote is undone and what it queued dropped, and
     * everything read is read again. Batched, an event that wrote anything, or failed for another reason than its
     * content (a database error), cannot be undone alone: {@link Redo}.
     */
    void eventFailed(RuntimeException cause) {
        inEvent = false;
        if (batched && (eventWrote || !(cause instanceof Projector.Unusable || cause instanceof ProtocolException))) {
            throw new Redo("an event failed and cannot be undone alone: " + cause, cause);
        }
        if (savepoint != null) {
            try {
                h.getConnection().rollback(savepoint);
            } catch (SQLException e) {
                throw new Redo("cannot roll back to a savepoint", e);
            }
            savepoint = null;
        }
        for (Waiting w : waiting.values()) {
            w.rows.removeIf(r -> r.seq() >= eventStart);
        }
        survivors.clear();
        tiers.clear();
        openOverdraft.clear();
        memberStores.clear();
        erased.clear();
        homes.clear();
        memo.clear();
    }

    /** Sends every queued row. */
    void flush() {
        for (Waiting w : waiting.values()) {
            send(w);
        }
    }

    /** The {@link Redo} in {@code e} or its causes, if any: the push is to be applied again row by row. */
    static Optional<Redo> redo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Redo r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * Before a statement that names a table with rows waiting, those rows; row by row, before an event's first
     * statement, its savepoint. Other statements leave the rows waiting: a store-day's 1,500 enrolments and tier
     * changes would otherwise send the batch in pieces.
     */
    private void beforeStatement(String sql) {
        if (sending) {
            return;
        }
        if (inEvent) {
            if (!READ.matcher(sql).find()) {
                eventWrote = true;
            }
            if (!batched && savepoint == null) {
                try {
                    savepoint = h.getConnection().setSavepoint();
                } catch (SQLException e) {
                    throw new Redo("cannot take a savepoint", e);
                }
            }
        }
        for (Waiting w : waiting.values()) {
            if (!w.rows.isEmpty() && w.mention.matcher(sql).find()) {
                send(w);
            }
        }
    }

    /** Sends the rows waiting for one statement, as one batch. */
    private void send(Waiting w) {
        if (w.rows.isEmpty()) {
            return;
        }
        sending = true;
        try {
            int whole = w.rows.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
            if (whole > 0) {
                if (w.many == null) {
                    w.many = h.getConnection().prepareStatement(w.manyRows);
                }
                for (int from = 0; from < whole; from += ROWS_PER_INSERT) {
                    int p = 1;
                    for (Row r : w.rows.subList(from, from + ROWS_PER_INSERT)) {
                        for (Object arg : r.args()) {
                            w.many.setObject(p++, arg);
                        }
                    }
                    w.many.addBatch();
                }
                w.many.executeBatch();
            }
            if (whole < w.rows.size()) {
                if (w.one == null) {
                    w.one = h.getConnection().prepareStatement(w.sql);
                }
                for (Row r : w.rows.subList(whole, w.rows.size())) {
                    Object[] args = r.args();
                    for (int i = 0; i < args.length; i++) {
                        w.one.setObject(i + 1, args[i]);
                    }
                    w.one.addBatch();
                }
                w.one.executeBatch();
            }
            eventWrote |= inEvent && w.rows.get(w.rows.size() - 1).seq() >= eventStart;
        } catch (SQLException e) {
            throw new Redo("the database refused a batched row: " + e.getMessage(), e);
        } finally {
            sending = false;
        }
        w.rows.clear();
    }

    @Override
    public void close() {
        closed = true;
        h.getConfig(Slot.class).scope = null;
        for (Waiting w : waiting.values()) {
            for (PreparedStatement ps : new PreparedStatement[] {w.one, w.many}) {
                if (ps != null) {
                    try {
                        ps.close();
                    } catch (SQLException ignored) {
                        // the transaction decides; a statement that does not close is closed with its connection
                    }
                }
            }
        }
    }

    // ---- members ----

    /** A member the batch names (null: none): those are read together the first time one of them is needed. */
    void expect(UUID memberId) {
        if (memberId != null) {
            wanted.add(memberId);
        }
    }

    /** The member an id stands for today (itself, or the survivor it was merged into); empty if unknown. */
    static Optional<UUID> survivor(Handle h, UUID memberId) {
        Optional<PushScope> scope = of(h);
        if (scope.isEmpty()) {
            return h.createQuery("SELECT COALESCE(survivor_id, id) FROM member WHERE id = :id").bind("id", memberId)
                    .mapTo(UUID.class).findOne();
        }
        return scope.get().survivor(memberId);
    }

    /** The home store of a member this push has read or created, else null. */
    String homeStore(UUID memberId) {
        return homes.get(memberId);
    }

    /** Whether the member an id names was erased (decision 0044); false for a member unknown at head office. */
    static boolean erased(Handle h, UUID memberId) {
        Optional<PushScope> scope = of(h);
        if (scope.isEmpty()) {
            return h.createQuery("SELECT COUNT(*) FROM member WHERE id = :id AND erased_at IS NOT NULL").bind("id", memberId)
                    .mapTo(Integer.class).one() > 0;
        }
        scope.get().survivor(memberId);
        return scope.get().erased.getOrDefault(memberId, false);
    }

    /** The tier at head office of the member an id stands for; empty if unknown. */
    Optional<Tier> tier(UUID memberId) {
        return survivor(memberId).map(tiers::get);
    }

    private Optional<UUID> survivor(UUID memberId) {
        Optional<UUID> survivor = survivors.get(memberId);
        if (survivor == null) {
            Set<UUID> load = new LinkedHashSet<>();
            load.add(memberId);
            for (UUID w : wanted) {
                if (!survivors.containsKey(w)) {
                    load.add(w);
                }
            }
            readMembers(List.copyOf(load));
            survivor = survivors.get(memberId);
        }
        return survivor;
    }

    /**
     * Reads members with the member each stands for, its tier and whether it has an open overdraft. The ids go as one
     * array joined as a table: one statement text whatever their number (parsed once), each id looked up by key.
     */
    private void readMembers(List<UUID> ids) {
        h.createQuery("""
                SELECT a.id, COALESCE(a.survivor_id, a.id), COALESCE(s.tier, a.tier),
                       EXISTS(SELECT 1 FROM sync_exception o WHERE o.kind = 'POINTS_OVERDRAFT'
                                AND o.subject = CAST(COALESCE(a.survivor_id, a.id) AS VARCHAR(80)) AND o.state = 'OPEN')
                    OR EXISTS(SELECT 1 FROM sync_exception o WHERE o.kind = 'STORED_VALUE_OVERDRAFT'
                                AND o.subject = CAST(COALESCE(a.survivor_id, a.id) AS VARCHAR(80)) AND o.state = 'OPEN'),
                       a.erased_at IS NOT NULL, a.home_store
                FROM UNNEST(:ids) AS wanted(id) JOIN member a ON a.id = wanted.id
                LEFT JOIN member s ON s.id = a.survivor_id""")
                .bindArray("ids", UUID.class, ids)
                .map((rs, ctx) -> {
                    UUID survivor = rs.getObject(2, UUID.class);
                    survivors.put(rs.getObject(1, UUID.class), Optional.of(survivor));
                    tiers.put(survivor, Tier.valueOf(rs.getString(3)));
                    openOverdraft.put(survivor, rs.getBoolean(4));
                    erased.put(rs.getObject(1, UUID.class), rs.getBoolean(5));
                    homes.put(rs.getObject(1, UUID.class), rs.getString(6));
                    return survivor;
                }).list();
        for (UUID id : ids) {
            survivors.putIfAbsent(id, Optional.empty());
        }
    }

    /**
     * The stores keeping a member's records, read together with those of every other member of the batch already
     * read: one statement per batch instead of one per event. The list is the scope's own: {@link MemberStores} adds to
     * it what it adds to the table.
     */
    List<String> memberStores(UUID survivor) {
        List<String> stores = memberStores.get(survivor);
        if (stores == null) {
            Set<UUID> load = new LinkedHashSet<>();
            load.add(survivor);
            for (UUID w : wanted) {
                Optional<UUID> s = survivors.get(w);
                if (s != null && s.isPresent() && !memberStores.containsKey(s.get())) {
                    load.add(s.get());
                }
            }
            for (UUID id : load) {
                memberStores.put(id, new ArrayList<>());
            }
            h.createQuery("""
                    SELECT s.member_id, s.store_id FROM UNNEST(:ids) AS wanted(id)
                    JOIN member_store s ON s.member_id = wanted.id ORDER BY s.store_id""")
                    .bindArray("ids", UUID.class, List.copyOf(load))
                    .map((rs, ctx) -> memberStores.get(rs.getObject(1, UUID.class)).add(rs.getString(2)))
                    .list();
            stores = memberStores.get(survivor);
        }
        return stores;
    }

    /** A member this push created: kept by its home store alone. */
    void storesOfNewMember(UUID member, String home) {
        memberStores.put(member, new ArrayList<>(List.of(home)));
    }

    /** A merge changed the member's stores: read them again when next needed. */
    void forgetStores(UUID member) {
        memberStores.remove(member);
    }

    /** Called for every change the push puts on the feed: what it says about members and balances is kept true here. */
    void changed(Change change) {
        if (change instanceof Change.MemberEnrolled m) {
            survivors.put(m.memberId(), Optional.of(m.memberId()));
            tiers.put(m.memberId(), m.tier());
            openOverdraft.put(m.memberId(), false);
            erased.put(m.memberId(), false);
            homes.put(m.memberId(), m.homeStore());
        } else if (change instanceof Change.MemberErased m) {
            erased.put(m.memberId(), true);
        } else if (change instanceof Change.MemberMerged || change instanceof Change.MemberSplit) {
            // Aliases of the alias follow it too: read them all again.
            survivors.clear();
            tiers.clear();
        } else if (change instanceof Change.MemberProfile p && p.field() == Change.Field.TIER) {
            tiers.put(p.memberId(), Tier.valueOf(p.value()));
        } else if (change instanceof Change.PointsEntry p && p.delta() < 0) {
            decreased.add(p.memberId());
        } else if (change instanceof Change.StoredValueEntry s && s.deltaFen() < 0) {
            decreased.add(s.memberId());
        }
    }

    // ---- overdrafts ----

    /**
     * Whether a member's balances must be summed to settle its overdrafts: it has an open overdraft exception, or an
     * entry took from it since it was last settled. Otherwise its balances are what they were when last settled (not
     * short: no exception is open) plus entries that only added.
     */
    static boolean mayBeShort(Handle h, UUID member) {
        Optional<PushScope> scope = of(h);
        return scope.isEmpty() || scope.get().decreased.contains(member) || scope.get().hasOpenOverdraft(member);
    }

    /** The member's balances were summed and its overdraft exceptions brought up to date: open if {@code isShort}. */
    static void settled(Handle h, UUID member, boolean isShort) {
        of(h).ifPresent(scope -> {
            scope.decreased.remove(member);
            scope.openOverdraft.put(member, isShort);
        });
    }

    /** Settled only for members that exist: a member's overdrafts are read with it. */
    private boolean hasOpenOverdraft(UUID member) {
        Boolean open = openOverdraft.get(member);
        if (open == null) {
            survivor(member);
            open = openOverdraft.getOrDefault(member, Boolean.TRUE);
        }
        return open;
    }

    // ---- anything else read once per push ----

    /** A value read once per push (again after a failed event); {@link #forget} drops it once the push changes it. */
    @SuppressWarnings("unchecked")
    <K, V> V remember(K key, Function<K, V> read) {
        Object v = memo.get(key);
        if (v == null) {
            v = read.apply(key);
            memo.put(key, v);
        }
        return (V) v;
    }

    void forget(Object key) {
        memo.remove(key);
    }
}
