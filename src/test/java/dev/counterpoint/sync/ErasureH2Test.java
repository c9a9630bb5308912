package dev.counterpoint.sync;

/** The erasure contract against head office on H2. */
class ErasureH2Test extends ErasureContract {
    @Override
    OfficeHarness newOffice() {
        return OfficeHarness.h2();
    }
}
