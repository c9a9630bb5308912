package dev.counterpoint.sync;

/** The sync contract against head office on H2 (a single franchise). */
class OfficeSyncH2Test extends OfficeSyncContract {
    @Override
    OfficeHarness newOffice() {
        return OfficeHarness.h2();
    }
}
