package dev.counterpoint.sync;

import dev.counterpoint.testing.OfficePostgres;

/** The erasure contract against head office on a real PostgreSQL; a fresh database per test. */
class ErasurePostgresTest extends ErasureContract {
    @Override
    OfficeHarness newOffice() {
        return new OfficeHarness(OfficePostgres.freshDatabase(), 8);
    }
}
