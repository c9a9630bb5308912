package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.store.Database;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The indexes a bulk load takes off come back from the background builder, or it says why they cannot. */
class LoadIndexesTest {
    private final Database db = Database.inMemory("load-indexes-" + System.nanoTime());
    private final Jdbi jdbi = db.jdbi();

    @AfterEach
    void close() {
        db.close();
    }

    private long constraints(String table) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS
                        WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = :t""").bind("t", table).mapTo(Long.class).one());
    }

    @Test
    void everythingTakenOffComesBackOnceTheTablesAreLoaded() {
        long before = constraints("MEMBER_CODE");
        LoadIndexes indexes = jdbi.withHandle(h -> LoadIndexes.drop(h, List.of("MEMBER_CODE")));
        assertThat(constraints("MEMBER_CODE")).isLessThan(before);

        LoadIndexes.Builder building = indexes.buildInBackground(jdbi);
        building.finish(List.of("MEMBER_CODE"));

        assertThat(building.left()).isZero();
        assertThat(constraints("MEMBER_CODE")).isEqualTo(before);
    }

    @Test
    void aConstraintTheLoadedRowsBreakIsReportedAndTheRestIsNotBuilt() {
        LoadIndexes indexes = jdbi.withHandle(h -> LoadIndexes.drop(h, List.of("MEMBER_CODE")));
        // two cards with one code: the primary key cannot come back
        jdbi.useHandle(h -> {
            h.execute("SET REFERENTIAL_INTEGRITY FALSE");
            h.execute("INSERT INTO member_code(code, member_id, kind) VALUES ('2900000000999', RANDOM_UUID(), 'CARD')");
            h.execute("INSERT INTO member_code(code, member_id, kind) VALUES ('2900000000999', RANDOM_UUID(), 'CARD')");
        });
        LoadIndexes.Builder building = indexes.buildInBackground(jdbi);
        int toBuild = building.left();

        assertThatThrownBy(() -> building.finish(List.of("MEMBER_CODE")))
                .hasMessageContaining("Unique index or primary key violation");
        // the primary key comes first and failed; the two indexes (V31) and the foreign key after it were not tried
        assertThat(toBuild).isEqualTo(4);
        assertThat(building.left()).isEqualTo(toBuild);
    }
}
