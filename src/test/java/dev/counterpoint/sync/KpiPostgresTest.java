package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.testing.OfficePostgres;

/** The KPI figures with head office on PostgreSQL; a fresh database per test. */
class KpiPostgresTest extends KpiContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficePostgres.freshDatabase();
    }
}
