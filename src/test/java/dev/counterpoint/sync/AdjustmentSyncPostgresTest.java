package dev.counterpoint.sync;

import dev.counterpoint.testing.OfficePostgres;

/** Balance adjustments through head office on a real PostgreSQL; a fresh database per test. */
class AdjustmentSyncPostgresTest extends AdjustmentSyncTest {
    @Override
    OfficeHarness newOffice() {
        return new OfficeHarness(OfficePostgres.freshDatabase(), 8);
    }
}
