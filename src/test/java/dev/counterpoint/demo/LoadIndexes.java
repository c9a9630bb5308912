package dev.counterpoint.demo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the indexes and constraints off the tables a bulk load fills, and puts them back afterwards exactly as the
 * migrations defined them (read from H2's INFORMATION_SCHEMA, so an index a later migration adds is handled too):
 * foreign keys, primary keys and unique constraints (but a primary key a table outside the load refers to), and
 * plain indexes. In H2 every index entry a transaction inserts is written three times over: into the B-tree, into
 * the undo log, and again at commit to mark it committed; then the dirty pages are serialised. Building an index on
 * loaded rows sorts them and writes each entry once, already committed.
 *
 * <p>Foreign keys come back {@code NOCHECK}: the generator writes every parent row before its children (decision
 * 0075), and checking 30 million references again would cost as much as the load.
 *
 * <p>H2 builds one index at a time (each statement holds its meta lock), but inserts into other tables go on
 * meanwhile: {@link #buildInBackground} builds each statement on a thread of its own as soon as every table it names
 * is loaded, so a table's indexes are built while the next table loads.
 */
final class LoadIndexes {
    private static final Logger LOG = LoggerFactory.getLogger(LoadIndexes.class);
    private final List<String> drops = new ArrayList<>();
    /** In the order they must run; each waits until the tables it names are loaded. */
    private final List<Restore> restores = new ArrayList<>();

    private record Restore(Set<String> tables, String ddl) {
    }

    private LoadIndexes() {}

    /**
     * Reads the definitions on {@code tables} (upper-case names) and drops them; {@link #buildInBackground}
     * re-creates them.
     */
    static LoadIndexes drop(Handle h, List<String> tables) {
        LoadIndexes l = new LoadIndexes();
        List<Restore> indexes = new ArrayList<>();
        List<Restore> uniques = new ArrayList<>();
        List<Restore> foreignKeys = new ArrayList<>();
        List<Restore> ownIndexForeignKeys = new ArrayList<>();
        for (Map<String, Object> fk : h.createQuery("""
                        SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, rc.UNIQUE_CONSTRAINT_NAME, rc.UPDATE_RULE, rc.DELETE_RULE,
                               i.IS_GENERATED AS OWN_INDEX
                        FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc
                        JOIN INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc
                          ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
                        JOIN INFORMATION_SCHEMA.INDEXES i ON i.INDEX_SCHEMA = tc.INDEX_SCHEMA AND i.INDEX_NAME = tc.INDEX_NAME
                        WHERE tc.TABLE_SCHEMA = 'PUBLIC' AND tc.CONSTRAINT_TYPE = 'FOREIGN KEY' AND tc.TABLE_NAME IN (<tables>)
                        ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME""")
                .bindList("tables", tables).mapToMap().list()) {
            String table = (String) fk.get("table_name");
            String name = (String) fk.get("constraint_name");
            Map<String, Object> target = h.createQuery("""
                            SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS
                            WHERE CONSTRAINT_SCHEMA = 'PUBLIC' AND CONSTRAINT_NAME = :name""")
                    .bind("name", fk.get("unique_constraint_name")).mapToMap().one();
            String referenced = (String) target.get("table_name");
            // a key waits for the table it refers to as well, when that table is loaded too
            Set<String> named = tables.contains(referenced) ? Set.of(table, referenced) : Set.of(table);
            (Boolean.TRUE.equals(fk.get("own_index")) ? ownIndexForeignKeys : foreignKeys).add(new Restore(named,
                    "ALTER TABLE " + q(table) + " ADD CONSTRAINT " + q(name) + " FOREIGN KEY ("
                    + columns(h, name, "COLUMN_NAME") + ") REFERENCES " + q(referenced) + "("
                    + referencedColumns(h, name, (String) fk.get("unique_constraint_name")) + ")"
                    + rule("UPDATE", fk.get("update_rule")) + rule("DELETE", fk.get("delete_rule")) + " NOCHECK"));
            l.drops.add("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(name));
        }
        // Primary keys and unique constraints, but those a table outside the load refers to (member's id).
        for (Map<String, Object> u : h.createQuery("""
                        SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc
                        WHERE TABLE_SCHEMA = 'PUBLIC' AND CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') AND TABLE_NAME IN (<tables>)
                          AND NOT EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc
                                          JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS fk
                                            ON fk.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND fk.CONSTRAINT_NAME = rc.CONSTRAINT_NAME
                                          WHERE rc.UNIQUE_CONSTRAINT_SCHEMA = 'PUBLIC'
                                            AND rc.UNIQUE_CONSTRAINT_NAME = tc.CONSTRAINT_NAME
                                            AND fk.TABLE_NAME NOT IN (<tables>))
                        ORDER BY TABLE_NAME, CONSTRAINT_NAME""")
                .bindList("tables", tables).mapToMap().list()) {
            String table = (String) u.get("table_name");
            String name = (String) u.get("constraint_name");
            uniques.add(new Restore(Set.of(table), "ALTER TABLE " + q(table) + " ADD CONSTRAINT " + q(name) + " "
                    + u.get("constraint_type") + " (" + columns(h, name, "COLUMN_NAME") + ")"));
            l.drops.add("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(name));
        }
        Map<String, Restore> created = new LinkedHashMap<>();
        for (Map<String, Object> i : h.createQuery("""
                        SELECT TABLE_NAME, INDEX_NAME, INDEX_TYPE_NAME FROM INFORMATION_SCHEMA.INDEXES
                        WHERE TABLE_SCHEMA = 'PUBLIC' AND IS_GENERATED = FALSE AND TABLE_NAME IN (<tables>)
                          AND INDEX_TYPE_NAME IN ('INDEX', 'UNIQUE INDEX')
                        ORDER BY TABLE_NAME, INDEX_NAME""")
                .bindList("tables", tables).mapToMap().list()) {
            String name = (String) i.get("index_name");
            String cols = String.join(", ", h.createQuery("""
                            SELECT COLUMN_NAME, ORDERING_SPECIFICATION FROM INFORMATION_SCHEMA.INDEX_COLUMNS
                            WHERE INDEX_SCHEMA = 'PUBLIC' AND INDEX_NAME = :name ORDER BY ORDINAL_POSITION""")
                    .bind("name", name)
                    .map((rs, ctx) -> q(rs.getString(1)) + ("DESC".equals(rs.getString(2)) ? " DESC" : ""))
                    .list());
            String table = (String) i.get("table_name");
            created.put(name, new Restore(Set.of(table), "CREATE " + ("UNIQUE INDEX".equals(i.get("index_type_name"))
                    ? "UNIQUE " : "") + "INDEX " + q(name) + " ON " + q(table) + "(" + cols + ")"));
        }
        created.forEach((name, restore) -> {
            indexes.add(restore);
            l.drops.add("DROP INDEX " + q(name));
        });
        // H2 gives a foreign key an index of its own unless the table already has one on exactly its columns. Each
        // foreign key comes back on the kind of index the migrations left it: those with their own before the plain
        // indexes, the others after them, so that they find theirs again. (Built in the background, a key also
        // waits for the table it refers to; the generator loads that table in the same pass or an earlier one.)
        l.restores.addAll(uniques);
        l.restores.addAll(ownIndexForeignKeys);
        l.restores.addAll(indexes);
        l.restores.addAll(foreignKeys);
        l.drops.forEach(h::execute);
        return l;
    }

    /**
     * Re-creates, in their order, the statements {@link #drop} took off whose tables are all in {@code loaded} and
     * that have not run yet, counting each one down from {@code left} and logging its duration (they dominate a big
     * load). Call from one thread at a time.
     */
    private void restoreLoaded(Handle h, Set<String> loaded, AtomicInteger left) {
        for (Iterator<Restore> it = restores.iterator(); it.hasNext(); ) {
            Restore r = it.next();
            if (!loaded.containsAll(r.tables())) {
                continue;
            }
            long started = System.nanoTime();
            long cpu = ScaleStoreGenerator.processCpuNanos();
            h.execute(r.ddl());
            LOG.info("{} ms ({} ms CPU): {}", (System.nanoTime() - started) / 1_000_000,
                    (ScaleStoreGenerator.processCpuNanos() - cpu) / 1_000_000, r.ddl());
            it.remove();
            left.decrementAndGet();
        }
    }

    /** Builds the statements on a thread of its own, each once its tables are {@linkplain Builder#loaded loaded}. */
    Builder buildInBackground(Jdbi jdbi) {
        return new Builder(jdbi);
    }

    /** The building thread: statements run one after another, in their order, as their tables come in. */
    final class Builder {
        private final Jdbi jdbi;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scale-indexes");
            t.setDaemon(true);
            return t;
        });
        private final Set<String> loaded = new HashSet<>();
        private final AtomicInteger left = new AtomicInteger(restores.size());
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        private Builder(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        /** No more rows will go into {@code tables}: what they alone were waiting for starts building. */
        void loaded(Collection<String> tables) {
            loaded.addAll(tables);
            Set<String> now = Set.copyOf(loaded);
            thread.execute(() -> {
                if (failure.get() != null) {
                    return;
                }
                try {
                    jdbi.useHandle(h -> restoreLoaded(h, now, left));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
        }

        /** Statements not built yet. */
        int left() {
            return left.get();
        }

        /** Throws the failure of a statement that could not be built, if any. */
        void check() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        /** Builds everything still off (the load is over, whole or not), waits for it, and reports a failure. */
        void finish(Collection<String> allTables) {
            loaded(allTables);
            thread.shutdown();
            try {
                while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.info("{} indexes and constraints still building", left());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building indexes; " + left() + " not built", e);
            }
            check();
        }
    }

    private static String columns(Handle h, String constraint, String column) {
        return String.join(", ", h.createQuery("SELECT " + column + " FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE "
                        + "WHERE CONSTRAINT_SCHEMA = 'PUBLIC' AND CONSTRAINT_NAME = :name ORDER BY ORDINAL_POSITION")
                .bind("name", constraint).mapTo(String.class).map(LoadIndexes::q).list());
    }

    /** The referenced columns, in the order of the foreign key's own columns. */
    private static String referencedColumns(Handle h, String fk, String unique) {
        return String.join(", ", h.createQuery("""
                        SELECT u.COLUMN_NAME FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE f
                        JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE u
                          ON u.CONSTRAINT_SCHEMA = 'PUBLIC' AND u.CONSTRAINT_NAME = :unique
                         AND u.ORDINAL_POSITION = f.POSITION_IN_UNIQUE_CONSTRAINT
                        WHERE f.CONSTRAINT_SCHEMA = 'PUBLIC' AND f.CONSTRAINT_NAME = :fk ORDER BY f.ORDINAL_POSITION""")
                .bind("fk", fk).bind("unique", unique).mapTo(String.class).map(LoadIndexes::q).list());
    }

    private static String rule(String on, Object rule) {
        return rule == null || "NO ACTION".equals(rule) || "RESTRICT".equals(rule) ? "" : " ON " + on + " " + rule;
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
