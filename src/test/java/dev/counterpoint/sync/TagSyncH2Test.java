package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;

/** Custom tags with head office on H2. */
class TagSyncH2Test extends TagSyncContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficeDatabase.of(OfficeHarness.h2DataSource());
    }
}
