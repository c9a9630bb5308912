package dev.counterpoint.sync;

import dev.counterpoint.testing.OfficePostgres;

/** The sync contract against head office on a real PostgreSQL; a fresh database per test. */
class OfficeSyncPostgresTest extends OfficeSyncContract {
    @Override
    OfficeHarness newOffice() {
        return new OfficeHarness(OfficePostgres.freshDatabase(), 8);
    }
}
