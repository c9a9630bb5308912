package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;

/** The KPI figures with head office on H2. */
class KpiH2Test extends KpiContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficeDatabase.of(OfficeHarness.h2DataSource());
    }
}
