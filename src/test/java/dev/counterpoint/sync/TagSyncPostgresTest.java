package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.testing.OfficePostgres;

/** Custom tags with head office on PostgreSQL; a fresh database per test. */
class TagSyncPostgresTest extends TagSyncContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficePostgres.freshDatabase();
    }
}
