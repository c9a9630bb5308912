package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.testing.OfficePostgres;

/** Campaigns with head office on PostgreSQL; a fresh database per test. */
class CampaignPostgresTest extends CampaignContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficePostgres.freshDatabase();
    }
}
