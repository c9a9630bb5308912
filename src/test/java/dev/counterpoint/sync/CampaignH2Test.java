package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;

/** Campaigns with head office on H2. */
class CampaignH2Test extends CampaignContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficeDatabase.of(OfficeHarness.h2DataSource());
    }
}
